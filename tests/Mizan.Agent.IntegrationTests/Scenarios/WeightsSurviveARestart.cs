using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// Traffic:Mode Redirect splits traffic by front ports: a weight of 30 % sends 3 of the 10 primaries to the slot, so
/// nginx's round-robin gives it about that share of the requests. The split is recorded like a switch: a restarted
/// agent finds the table as it was and keeps it. A weight that is not a whole number of front ports is refused.
/// </summary>
public sealed class WeightsSurviveARestart(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private const int Requests = 300;

    [Fact]
    public async Task ThirtyPercentGoesToV1BeforeAndAfterTheRestartAndAHundredPutsAllBack()
    {
        await StartAsync(configure: c => c.WithRedirect());
        var v1Slot = (await DeploySucceedsAsync(AppVariant.FastV1)).Result!.ToSlot;
        var v2Slot = (await DeploySucceedsAsync(AppVariant.FastV2)).Result!.ToSlot;
        await AssertAllTrafficToAsync(v2Slot);

        var weight = await Ctl.RunAsync(["weight", "--app", AppName, "--slot", v1Slot, "--percent", "30"], Token);
        Output.WriteLine(weight.ToString());
        Assert.True(weight.ExitCode == 0, weight.ToString());
        Assert.Contains($"{v2Slot} 70 %, {v1Slot} 30 %", weight.StandardOutput, StringComparison.Ordinal);

        var table = await ListTableJsonAsync();
        Assert.NotNull(table);
        AssertSplit(TrafficTables.ReadRedirects(table), v2Slot, v1Slot, toV1: 3);
        await AssertStatusShowsSplitAsync(v2Slot, v1Slot, v1Percent: 30);
        var before = await CountAnswersAsync("with 30 % to v1");
        AssertShare(before, "before the restart");

        // Not a whole number of front ports: refused, naming the step, and nothing changes.
        var refused = await Ctl.RunAsync(["weight", "--app", AppName, "--slot", v1Slot, "--percent", "15"], Token);
        Output.WriteLine(refused.ToString());
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("a multiple of 10 %", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("15 % is not", refused.StandardError, StringComparison.Ordinal);
        // Asked of the live slot the same: the message names the 15 % asked for, not the 85 % it would leave the other.
        var refusedLive = await Ctl.RunAsync(["weight", "--app", AppName, "--slot", v2Slot, "--percent", "15"], Token);
        Output.WriteLine(refusedLive.ToString());
        Assert.True(refusedLive.ExitCode == 2, refusedLive.ToString());
        Assert.Contains("a multiple of 10 %; 15 % is not", refusedLive.StandardError, StringComparison.Ordinal);
        Assert.Equal(table, await ListTableJsonAsync());
        await AssertStatusShowsSplitAsync(v2Slot, v1Slot, v1Percent: 30);

        await Agent.StopAsync(Token);
        Assert.Equal(table, await ListTableJsonAsync());
        await Agent.RestartAsync(Token);
        // The same text, rule handles included: the agent found its table right and wrote nothing.
        Assert.Equal(table, await ListTableJsonAsync());
        Assert.DoesNotContain("differed from the recorded routes", Agent.Output.Text, StringComparison.Ordinal);
        await AssertStatusShowsSplitAsync(v2Slot, v1Slot, v1Percent: 30);
        var after = await CountAnswersAsync("with 30 % to v1, after the restart");
        AssertShare(after, "after the restart");

        var back = await Ctl.RunAsync(["weight", "--app", AppName, "--slot", v2Slot, "--percent", "100"], Token);
        Output.WriteLine(back.ToString());
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Contains($"{v2Slot} 100 %", back.StandardOutput, StringComparison.Ordinal);
        var redirects = await AssertAllTrafficToAsync(v2Slot);
        Assert.Equal(Config.PortOf(v1Slot), redirects.GetValueOrDefault(Config.BackupFrontPort));
        var status = await StatusAsync();
        Assert.Equal(v2Slot, status.LiveSlot);
        Assert.Equal(100, status.Traffic.LivePercent);
        Assert.Equal(0, status.Traffic.OtherPercent);
        var all = await CountAnswersAsync("with 100 % to v2");
        Assert.Equal(Requests, all.GetValueOrDefault("fast-v2"));
    }

    /// <summary>Primaries: 10 - <paramref name="toV1"/> to v2's slot, <paramref name="toV1"/> to v1's; the backup to v1's (the standby).</summary>
    private void AssertSplit(IReadOnlyDictionary<int, int> redirects, string v2Slot, string v1Slot, int toV1)
    {
        var shown = string.Join(", ", redirects.Select(r => $"{r.Key}->{r.Value}"));
        Output.WriteLine($"table ip {Config.TrafficTable}: [{shown}]");
        var primaries = Config.PrimaryFrontPorts.Select(port => redirects.GetValueOrDefault(port)).ToList();
        Assert.True(
            primaries.Count(port => port == Config.PortOf(v2Slot)) == Config.FrontPortCount - toV1,
            $"primaries to v2 ({Config.PortOf(v2Slot)}): [{shown}]");
        Assert.True(primaries.Count(port => port == Config.PortOf(v1Slot)) == toV1, $"primaries to v1 ({Config.PortOf(v1Slot)}): [{shown}]");
        Assert.True(redirects.GetValueOrDefault(Config.BackupFrontPort) == Config.PortOf(v1Slot), $"the backup leads to the standby v1: [{shown}]");
        Assert.Equal(Config.FrontPortCount + 1, redirects.Count);
    }

    private async Task AssertStatusShowsSplitAsync(string v2Slot, string v1Slot, int v1Percent)
    {
        var status = await StatusAsync();
        Assert.Equal(v2Slot, status.LiveSlot);
        Assert.Equal(100 - v1Percent, status.Traffic.LivePercent);
        Assert.Equal(v1Slot, status.Traffic.OtherSlot);
        Assert.Equal(v1Percent, status.Traffic.OtherPercent);
        Assert.Equal(v1Slot, status.Traffic.BackupSlot);
        var text = await Ctl.RunAsync(["status", "--app", AppName], Token);
        Output.WriteLine(text.StandardOutput);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"{v2Slot} {100 - v1Percent} %, {v1Slot} {v1Percent} %, backup {v1Slot}", text.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary><see cref="Requests"/> GETs through nginx, one after the other on fresh connections, counted by the version that answered.</summary>
    private async Task<IReadOnlyDictionary<string, int>> CountAnswersAsync(string when)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Requests; i++)
        {
            var served = await ServedAsync();
            Assert.True(served.Status == HttpStatusCode.OK, $"{when}: request {i + 1} got {served}");
            counts[served.Body] = counts.GetValueOrDefault(served.Body) + 1;
        }

        Output.WriteLine($"{Requests} requests {when}: {string.Join(", ", counts.Select(c => $"{c.Key} = {c.Value}"))}");
        return counts;
    }

    private static void AssertShare(IReadOnlyDictionary<string, int> counts, string when)
    {
        var v1 = counts.GetValueOrDefault("fast-v1");
        var v2 = counts.GetValueOrDefault("fast-v2");
        Assert.True(v1 > 0 && v2 > 0, $"{when}: both versions answer: v1 {v1}, v2 {v2}");
        Assert.Equal(Requests, v1 + v2);
        Assert.True(v1 >= Requests * 15 / 100 && v1 <= Requests * 45 / 100, $"{when}: v1's share is about 30 % (15-45 %): {v1} of {Requests}");
    }
}
