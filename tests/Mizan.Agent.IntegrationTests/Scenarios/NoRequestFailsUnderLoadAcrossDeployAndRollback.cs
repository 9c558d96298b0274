using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class NoRequestFailsUnderLoadAcrossDeployAndRollback(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task WithoutKeepAliveEveryRequestSucceedsAndBothVersionsAnswer()
    {
        await StartAsync();
        await DeploySucceedsAsync(AppVariant.V1);
        await ImageAsync(AppVariant.V2);

        await using var load = LoadGenerator.Start(
            Nginx.BaseAddress,
            new LoadOptions(Workers: 4, KeepAlive: false, MaxDuration: TimeSpan.FromMinutes(2)),
            Token);
        await load.WaitForSuccessesAsync(50, Token);

        AssertState(await DeployAsync(AppVariant.V2), DeploymentState.Succeeded);
        await WaitForAnswersAsync(load, "v2", 20);
        var v1BeforeRollback = load.Report().ByBody.GetValueOrDefault("v1");

        AssertState(await RollbackAsync(), DeploymentState.Succeeded);
        await WaitForAnswersAsync(load, "v1", v1BeforeRollback + 20);
        var report = await load.StopAsync();
        Output.WriteLine(report.ToString());

        Assert.True(report.Failed == 0, $"no request may fail across a deploy and a rollback: {report}");
        Assert.Equal(["v1", "v2"], report.ByBody.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, report.ByUpstream.Count);
    }

    private Task<TimeSpan> WaitForAnswersAsync(LoadGenerator load, string body, int atLeast) =>
        Eventually.TrueAsync(
            () => load.Report().ByBody.GetValueOrDefault(body) >= atLeast,
            TimeSpan.FromSeconds(15),
            () => $"{atLeast} answers '{body}' under load ({load.Report()})",
            Token);
}
