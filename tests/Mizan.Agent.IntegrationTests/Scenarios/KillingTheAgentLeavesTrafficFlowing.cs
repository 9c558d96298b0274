using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// Traffic:Mode Redirect keeps the routes in the kernel: nothing in the request path belongs to the agent process, so
/// its death costs no request, and the agent that starts again finds its table as it left it.
/// </summary>
public sealed class KillingTheAgentLeavesTrafficFlowing(ITestOutputHelper output) : IntegrationTestBase(output)
{
    /// <summary>Requests that succeed while the agent is dead: a few seconds of this load.</summary>
    private const int SuccessesWhileDead = 5_000;

    [Fact]
    public async Task NoRequestFailsAfterASigkillAndTheRestartedAgentFindsTheSameRedirects()
    {
        await StartAsync(configure: c => c.WithRedirect());
        await DeploySucceedsAsync(AppVariant.FastV1);
        var live = (await DeploySucceedsAsync(AppVariant.FastV2)).Result!.ToSlot;
        var table = await ListTableJsonAsync();
        Assert.NotNull(table);
        await AssertAllTrafficToAsync(live, TrafficTables.ReadRedirects(table));
        var worker = await SettledNginxWorkerAsync();
        var reloads = HostNginx.ReloadCount();

        await using var load = RawLoadGenerator.Start(
            Nginx.BaseAddress,
            new RawLoadOptions(Connections: 16, KeepAlive: true, PostEvery: 2, MaxDuration: TimeSpan.FromMinutes(2)),
            Token);
        await load.WaitForSuccessesAsync(500, Token);

        var pid = Agent.Pid;
        await Agent.KillAsync();
        Assert.True(Agent.HasExited, $"the agent (pid {pid}) is gone after SIGKILL");
        var atKill = load.Report();
        await load.WaitForMoreSuccessesAsync(SuccessesWhileDead, Token);
        var whileDead = load.Report();
        Output.WriteLine($"while the agent was dead: {whileDead.Succeeded - atKill.Succeeded} ok, {whileDead.Failed - atKill.Failed} failed");
        Assert.Equal(table, await ListTableJsonAsync());

        await Agent.RestartAsync(Token);
        var restarted = await ListTableJsonAsync();
        await load.WaitForMoreSuccessesAsync(1_000, Token);
        var report = await load.StopAsync();
        Output.WriteLine($"across the kill and the restart: {report}");

        Assert.True(report.Failed == 0, $"no request may fail while the agent is dead or starting: {report}");
        Assert.Equal(["fast-v2"], report.ByBody.Keys);
        // The same text, rule handles included: the agent read the table, found it right and wrote nothing.
        Assert.Equal(table, restarted);
        Assert.Equal(table, await ListTableJsonAsync());
        Assert.DoesNotContain("differed from the recorded routes", Agent.Output.Text, StringComparison.Ordinal);
        Assert.Equal(reloads, HostNginx.ReloadCount());
        Assert.Equal([worker], HostNginx.WorkerPids());
        Assert.Equal(live, (await StatusAsync()).LiveSlot);
    }
}
