using System.Diagnostics;
using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// Traffic:Mode Redirect under load: someone else empties or deletes the agent's nftables table (as `systemctl restart
/// nftables` would, with its `flush ruleset`). nftables' change notifications wake the agent, which writes its recorded
/// redirects back within moments, records an incident for the app, opened and closed, and says so in its log. The
/// self-checks run once an hour here, so the repair can only come from the notifications. The requests lost meanwhile
/// are counted, not asserted: those sent while the front ports led nowhere, and, when the table was deleted, those in
/// flight through it (its chain took their connections' translation with it).
/// </summary>
public sealed class AFlushBehindTheAgentsBackIsRepairedAtOnce(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan RepairDeadline = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("flush")]
    [InlineData("delete")]
    public async Task TheRedirectsComeBackAndTheRequestsLostMeanwhileAreCountedAndAnIncidentIsRecorded(string how)
    {
        await StartAsync(configure: c => c.WithRedirect().WithChecksEvery(TimeSpan.FromHours(1)));
        await DeploySucceedsAsync(AppVariant.FastV1);
        var live = (await DeploySucceedsAsync(AppVariant.FastV2)).Result!.ToSlot;
        var redirects = await AssertAllTrafficToAsync(live);
        Assert.Equal(Config.FrontPortCount + 1, redirects.Count);
        Assert.Empty(await IncidentsAsync());
        Assert.Contains("Watching nftables for changes to the agent's redirects", Agent.Output.Text, StringComparison.Ordinal);
        var reloads = HostNginx.ReloadCount();

        await using var load = RawLoadGenerator.Start(
            Nginx.BaseAddress,
            new RawLoadOptions(Connections: 16, KeepAlive: true, PostEvery: 2, MaxDuration: TimeSpan.FromMinutes(2)),
            Token);
        await load.WaitForSuccessesAsync(1_000, Token);
        var atDrift = load.Report();
        Assert.True(atDrift.Failed == 0, $"nothing fails before the table is touched: {FrontPortLoadSummary.Describe(atDrift, Config)}");

        var clock = Stopwatch.StartNew();
        if (how == "flush")
        {
            await TrafficTables.FlushAsync(Config.TrafficTable!, Token);
        }
        else
        {
            await TrafficTables.DeleteAsync(Config.TrafficTable!, Token);
        }

        var nftDone = clock.Elapsed;
        IReadOnlyDictionary<int, int> seen = new Dictionary<int, int>();
        var repaired = await Eventually.TrueAsync(
            async _ => SameRedirects(seen = await RedirectsAsync(), redirects),
            RepairDeadline,
            () => $"the agent to put its {redirects.Count} redirects back after `nft {how} table`; the table holds " +
                $"[{string.Join(", ", seen.Select(r => $"{r.Key}->{r.Value}"))}]{Environment.NewLine}{AgentLogTail(20)}",
            Token,
            pollInterval: TimeSpan.FromMilliseconds(5));
        var atRepair = load.Report();
        Output.WriteLine($"`nft {how} table ip {Config.TrafficTable}` took {nftDone.TotalMilliseconds:0} ms; the redirects were back " +
            $"{repaired.TotalMilliseconds:0} ms after it began (seen by polling every 5 ms; not asserted)");

        // Requests succeed again: fresh connections at once, and a second load started now loses nothing.
        for (var i = 0; i < Config.FrontPortCount; i++)
        {
            var served = await ServedAsync();
            Assert.True(
                served.Status == HttpStatusCode.OK && served.Body == "fast-v2" && Config.PrimaryFrontPorts.Any(port => served.Upstream == $"127.0.0.1:{port}"),
                $"after the repair v2 answers through a primary front port; nginx answered {served}");
        }

        await using (var afterwards = RawLoadGenerator.Start(
            Nginx.BaseAddress,
            new RawLoadOptions(Connections: 8, KeepAlive: true, PostEvery: 2, MaxDuration: TimeSpan.FromMinutes(1)),
            Token))
        {
            await afterwards.WaitForSuccessesAsync(2_000, Token);
            var after = await afterwards.StopAsync();
            var afterSummary = FrontPortLoadSummary.Describe(after, Config);
            Output.WriteLine($"a load started once the redirects were back: {afterSummary}");
            Assert.True(after.Failed == 0, $"no request started after the repair fails: {afterSummary}");
            Assert.Equal(["fast-v2"], after.ByBody.Keys);
        }

        // The first load, across the drift: what it lost is counted, not asserted. A request in flight when the table
        // went may fail only later (a deleted chain takes the translation of the connections it redirected with it).
        await load.WaitForMoreSuccessesAsync(1_000, Token);
        var report = await load.StopAsync();
        var summary = FrontPortLoadSummary.Describe(report, Config);
        Output.WriteLine($"requests that failed across the {how} and its repair (counted, not asserted): {report.Failed - atDrift.Failed}, " +
            $"{atRepair.Failed - atDrift.Failed} of them known when the redirects were seen back");
        Output.WriteLine($"the load across the {how}: {summary}");
        // The standby v1 answers only through the backup front port: requests that found the primaries refusing and
        // tried the backup once it was back.
        var throughBackup = FrontPortLoadSummary.ThroughTheBackup(report, Config);
        Output.WriteLine($"answered by the standby v1 through the backup after the primaries refused: {report.ByBody.GetValueOrDefault("fast-v1")}");
        Assert.True(throughBackup == report.ByBody.GetValueOrDefault("fast-v1"), $"v1 answers only through the backup: {summary}");
        Assert.True(report.Succeeded - throughBackup == report.ByBody.GetValueOrDefault("fast-v2"), $"v2 answers the rest: {summary}");

        var incident = Assert.Single(await Eventually.ValueAsync(
            _ => IncidentsAsync(),
            rows => rows.Count == 1 && rows[0].ClosedAt is not null,
            TimeSpan.FromSeconds(10),
            rows => $"one closed incident for {AppName}, got {string.Join("; ", rows ?? [])}",
            Token));
        Output.WriteLine(incident.ToString());
        Assert.Contains($"nftables redirects for {AppName} were changed behind its back", incident.Reason, StringComparison.Ordinal);
        Assert.Contains("0 of 11 redirects", incident.Reason, StringComparison.Ordinal);
        Assert.Equal("the agent put its recorded redirects back", incident.Resolution);
        Assert.True(incident.ClosedAt >= incident.OpenedAt, incident.ToString());
        Assert.Empty((await HealthAsync(AppName)).OpenIncidents);

        Assert.Contains(
            $"nftables table ip {Config.TrafficTable} differed from the recorded routes (found 0 of 11 redirects); " +
                $"re-applied 11 redirects; traffic affected: {AppName}",
            Agent.Output.Text,
            StringComparison.Ordinal);
        Assert.Contains($"Incident {incident.Id} opened for {AppName}", Agent.Output.Text, StringComparison.Ordinal);
        Assert.Contains($"Incident {incident.Id} of {AppName} closed", Agent.Output.Text, StringComparison.Ordinal);

        // Nothing else moved: the same redirects, the same live slot, and nginx was never reloaded.
        Assert.Equal(redirects, await RedirectsAsync());
        Assert.Equal(live, (await StatusAsync()).LiveSlot);
        Assert.Equal(reloads, HostNginx.ReloadCount());
    }

    private static bool SameRedirects(IReadOnlyDictionary<int, int> actual, IReadOnlyDictionary<int, int> expected) =>
        actual.Count == expected.Count && expected.All(r => actual.TryGetValue(r.Key, out var port) && port == r.Value);
}
