using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// Traffic:Mode Redirect's instant failover: the backup front port leads to the hot standby, so when the live container
/// dies nginx finds every primary refusing and tries the backup on the same request. A GET never fails; a POST that had
/// already reached the dying container is not retried (nginx's rule for non-idempotent requests), so at most one per
/// client connection fails. Auto-heal then makes the standby live for good.
/// </summary>
public sealed class KillingTheLiveContainerUnderLoadLosesNoGet(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private const int Connections = 32;
    private static readonly TimeSpan ChecksInterval = TimeSpan.FromSeconds(1);
    private const int FailuresBeforeAction = 2;

    /// <summary>Requests that succeed once auto-heal has switched: the load goes on a few seconds after it.</summary>
    private const int SuccessesAfterTheSwitch = 3_000;

    [Fact]
    public async Task EveryGetIsAnsweredByTheStandbyAndAutoHealMakesItLive()
    {
        await StartAsync(configure: c => c.WithRedirect().WithChecksEvery(ChecksInterval).WithAutoHeal(FailuresBeforeAction));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.FastV1)).Result!.ToSlot;
        var v2Slot = (await DeploySucceedsAsync(AppVariant.FastV2)).Result!.ToSlot;
        Assert.Equal(AgentConfig.OtherSlot(v1Slot), v2Slot);
        var before = await AssertAllTrafficToAsync(v2Slot);
        Assert.True(
            before.GetValueOrDefault(Config.BackupFrontPort) == Config.PortOf(v1Slot),
            $"the backup front port {Config.BackupFrontPort} leads to the standby v1 ({Config.PortOf(v1Slot)}): " +
            $"[{string.Join(", ", before.Select(r => $"{r.Key}->{r.Value}"))}]");
        Assert.Equal(v1Slot, (await StatusAsync()).Traffic.BackupSlot);
        var live = await ContainerAsync(v2Slot);
        Assert.True(live is { Running: true }, $"v2 runs in {v2Slot}: {live}");
        var reloads = HostNginx.ReloadCount();

        await using var load = RawLoadGenerator.Start(
            Nginx.BaseAddress,
            new RawLoadOptions(Connections: Connections, KeepAlive: true, PostEvery: 2, PostBytes: 1024, MaxDuration: TimeSpan.FromMinutes(2)),
            Token);
        await load.WaitForSuccessesAsync(2_000, Token);
        var atKill = load.Report();
        var killedAt = load.Elapsed;
        await DockerCli.KillAsync(live!.Id, Token);
        var killReturned = load.Elapsed;
        Output.WriteLine($"`docker kill {live.Id[..12]}` (v2 in {v2Slot}) from {killedAt.TotalSeconds:0.000} s to {killReturned.TotalSeconds:0.000} s " +
            $"of the load; before it: {Describe(atKill)}");

        await Eventually.TrueAsync(
            async _ => (await StatusAsync()).LiveSlot == v1Slot,
            TimeSpan.FromSeconds(30),
            () => $"auto-heal to make {v1Slot} (v1) live; load: {Describe(load.Report())}{Environment.NewLine}{AgentLogTail(30)}",
            Token);
        var atSwitch = load.Report();
        await load.WaitForMoreSuccessesAsync(SuccessesAfterTheSwitch, Token);
        var report = await load.StopAsync();

        var firstV1 = load.FirstAnswerAt("fast-v1");
        var failedGets = report.FailedByMethod.GetValueOrDefault("GET");
        var failedPosts = report.FailedByMethod.GetValueOrDefault("POST");
        Output.WriteLine($"first answer from v1 {(firstV1 - killedAt)?.TotalMilliseconds:0.0} ms after `docker kill` began, " +
            $"{(firstV1 - killReturned)?.TotalMilliseconds:0.0} ms after it returned (measured, not asserted)");
        Output.WriteLine($"auto-heal made {v1Slot} live {(atSwitch.Elapsed - killedAt).TotalSeconds:0.0} s after the kill (seen by polling the status)");
        Output.WriteLine($"{failedGets} failed GETs, {failedPosts} failed POSTs, {Connections} client connections; the whole load: {Describe(report)}");

        Assert.False(atKill.ByBody.ContainsKey("fast-v1"), $"the backup takes nothing while the live slot answers: {Describe(atKill)}");
        Assert.True(failedGets == 0, $"no GET may fail when the live container dies: {Describe(report)}{Environment.NewLine}{AgentLogTail(30)}");
        Assert.True(
            failedPosts <= Connections,
            $"only a POST already sent to the dying container may fail, one per connection at most ({Connections}): {Describe(report)}");
        Assert.Equal(failedGets + failedPosts, report.Failed);
        Assert.True(report.ByBody.GetValueOrDefault("fast-v1") > SuccessesAfterTheSwitch / 2, $"v1 answered after the kill: {Describe(report)}");
        Assert.True(FrontPortLoadSummary.ThroughTheBackup(report, Config) > 0, $"some answers came through the backup front port: {Describe(report)}");
        Assert.NotNull(firstV1);

        // Permanent: v1 is live and every front port leads to it; the dead slot backs nothing, so the backup port leads
        // to the live slot, where it led before the switch.
        var status = await StatusAsync();
        Assert.Equal(v1Slot, status.LiveSlot);
        Assert.Equal(0, status.Traffic.OtherPercent);
        Assert.Equal("", status.Traffic.BackupSlot);
        var after = await AssertAllTrafficToAsync(v1Slot);
        Assert.True(
            after.GetValueOrDefault(Config.BackupFrontPort) == Config.PortOf(v1Slot),
            $"the killed slot is no backup, the backup port leads to the live v1: [{string.Join(", ", after.Select(r => $"{r.Key}->{r.Value}"))}]");
        for (var i = 0; i < Config.FrontPortCount; i++)
        {
            var served = await ServedAsync();
            Assert.True(
                served.Status == HttpStatusCode.OK && served.Body == "fast-v1" && Config.PrimaryFrontPorts.Any(port => served.Upstream == $"127.0.0.1:{port}"),
                $"after auto-heal v1 answers through a primary front port at the first try; nginx answered {served}");
        }

        var text = await Ctl.RunAsync(["status", "--app", AppName], Token);
        Output.WriteLine(text.StandardOutput);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"{v1Slot} 100 %", text.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("backup", text.StandardOutput, StringComparison.Ordinal);

        var incident = Assert.Single(await Eventually.ValueAsync(
            _ => IncidentsAsync(),
            rows => rows.Count == 1 && rows[0].ClosedAt is not null,
            TimeSpan.FromSeconds(15),
            rows => $"one closed incident, got {string.Join("; ", rows ?? [])}",
            Token));
        Output.WriteLine(incident.ToString());
        Assert.Contains($"switched traffic to the standby slot {v1Slot}", incident.Resolution, StringComparison.Ordinal);
        Assert.Empty((await HealthAsync()).OpenIncidents);
        Assert.Equal(reloads, HostNginx.ReloadCount());
        Assert.False((await ContainerAsync(v2Slot))!.Running, "the killed container stays down");
    }

    private string Describe(LoadReport report) => FrontPortLoadSummary.Describe(report, Config);
}
