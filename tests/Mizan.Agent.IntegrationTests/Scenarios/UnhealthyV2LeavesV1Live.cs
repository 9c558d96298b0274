using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class UnhealthyV2LeavesV1Live(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TheDeployFailsAtTheHealthCheckShowsTheAppsLogAndTrafficNeverMoves()
    {
        await StartAsync(configure: c => c.WithHealth(startTimeout: TimeSpan.FromSeconds(3)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var upstreamBefore = ReadUpstreamFile();

        var outcome = await DeployAsync(AppVariant.Unhealthy);

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Check, outcome.FirstFailedStep);
        Assert.False(outcome.Events.Any(e => e.Step == Step.Switch), $"no switch may be attempted: {outcome}");
        var checkFailed = outcome.OnlyEvent(Step.Check, StepStatus.Failed);
        Assert.True(checkFailed.Details.TryGetValue("log_tail", out var logTail), $"the failed check must carry the app's log: {outcome}");
        // The app's own log: busybox httpd logging the 404s it gave the health probe.
        Assert.Contains(AppImageRecipe.NotFoundLogLine, logTail, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Result!.Message));

        await AssertServesAsync("v1", v1Slot);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        Assert.True((await ContainerAsync(v1Slot)) is { Running: true }, "v1 must keep running");
        var failed = await ContainerAsync(AgentConfig.OtherSlot(v1Slot));
        Assert.True(failed is null or { Running: false }, $"the unhealthy container must not keep running: {failed}");
        Assert.Equal(v1Slot, (await StatusAsync()).LiveSlot);
    }
}
