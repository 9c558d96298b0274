using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// Traffic:Mode Redirect records every route in SQLite: a stop leaves the kernel's table alone, a start that finds it
/// right leaves it alone too, and a start that finds it gone (flushed while the agent was stopped) writes it again.
/// </summary>
public sealed class RestartedAgentFindsItsRulesAsTheyWere(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task AStopLeavesTheTableAndAStartRecreatesAFlushedOneFromItsRecord()
    {
        await StartAsync(configure: c => c.WithRedirect());
        await DeploySucceedsAsync(AppVariant.FastV1);
        var live = (await DeploySucceedsAsync(AppVariant.FastV2)).Result!.ToSlot;
        var table = await ListTableJsonAsync();
        Assert.NotNull(table);
        var redirects = await AssertAllTrafficToAsync(live, TrafficTables.ReadRedirects(table));
        Output.WriteLine($"table ip {Config.TrafficTable} after v1 and v2:{Environment.NewLine}{table}");

        await Agent.StopAsync(Token);
        Assert.Equal(table, await ListTableJsonAsync());
        await AssertServedAsync("fast-v2", times: 5, "while the agent is stopped");

        await Agent.RestartAsync(Token);
        Assert.Equal(table, await ListTableJsonAsync());
        Assert.DoesNotContain("differed from the recorded routes", Agent.Output.Text, StringComparison.Ordinal);
        await AssertServedAsync("fast-v2", times: 5, "after the start that found the table");

        await Agent.StopAsync(Token);
        await TrafficTables.DeleteAsync(Config.TrafficTable!, Token);
        Assert.Null(await ListTableJsonAsync());
        // Nothing redirects the front ports now and nothing listens on them: nginx finds every server refusing.
        var flushed = await ServedAsync();
        Output.WriteLine($"with the table deleted and the agent stopped, nginx answered {flushed}");
        Assert.Equal(HttpStatusCode.BadGateway, flushed.Status);

        await Agent.RestartAsync(Token);
        Assert.Equal(redirects, await RedirectsAsync());
        Assert.Contains($"nftables table ip {Config.TrafficTable} differed from the recorded routes", Agent.Output.Text, StringComparison.Ordinal);
        await AssertServedAsync("fast-v2", times: 20, "after the start that re-created the table");

        await using var load = RawLoadGenerator.Start(Nginx.BaseAddress, new RawLoadOptions(Connections: 8, MaxRequests: 2_000), Token);
        await load.WaitForSuccessesAsync(2_000, Token);
        var report = await load.StopAsync();
        Output.WriteLine(report.ToString());
        Assert.Equal(0, report.Failed);
        Assert.Equal(2_000, report.ByBody.GetValueOrDefault("fast-v2"));
        Assert.Equal(live, (await StatusAsync()).LiveSlot);
    }

    /// <summary>Fresh connections through nginx, each answered 200 with <paramref name="body"/> through a primary front port.</summary>
    private async Task AssertServedAsync(string body, int times, string when)
    {
        for (var i = 0; i < times; i++)
        {
            var served = await ServedAsync();
            Assert.True(
                served.Status == HttpStatusCode.OK && served.Body == body && Config.PrimaryFrontPorts.Any(port => served.Upstream == $"127.0.0.1:{port}"),
                $"{when}: expected 200 '{body}' through a primary front port, nginx answered {served}{Environment.NewLine}{AgentLogTail(20)}");
        }
    }
}
