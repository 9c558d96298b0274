using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class ImageHealthcheckIsRespected(ITestOutputHelper output) : IntegrationTestBase(output)
{
    /// <summary>The images' HEALTHCHECK runs every second and decides on its first result; this leaves Docker ample time.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task AFailingHealthcheckFailsTheCheckThoughHttpAnswersAndV1StaysLive()
    {
        await StartAsync(configure: c => c.WithHealth(startTimeout: StartTimeout));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var upstreamBefore = ReadUpstreamFile();
        await ImageAsync(AppVariant.HealthcheckFails);

        var outcome = await DeployAsync(AppVariant.HealthcheckFails);

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Check, outcome.FirstFailedStep);
        Assert.False(outcome.Events.Any(e => e.Step == Step.Switch), $"no switch may be attempted: {outcome}");
        var checkFailed = outcome.OnlyEvent(Step.Check, StepStatus.Failed);
        Assert.Contains("HEALTHCHECK", checkFailed.Message, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", outcome.Result!.Message, StringComparison.Ordinal);
        // The HTTP probe itself was answered: the image's own HEALTHCHECK is what failed the check.
        Assert.Equal("200", checkFailed.Details.GetValueOrDefault("status_code"));

        await AssertServesAsync("v1", v1Slot);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        Assert.True((await ContainerAsync(v1Slot)) is { Running: true }, "v1 must keep running");
        var failed = await ContainerAsync(AgentConfig.OtherSlot(v1Slot));
        Assert.True(failed is null or { Running: false }, $"the container with the failing HEALTHCHECK must not keep running: {failed}");
        Assert.Equal(v1Slot, (await StatusAsync()).LiveSlot);
    }

    [Fact]
    public async Task APassingHealthcheckDeploysAndTheContainerIsHealthy()
    {
        await StartAsync(configure: c => c.WithHealth(startTimeout: StartTimeout));

        var outcome = await DeploySucceedsAsync(AppVariant.HealthcheckPasses);

        var slot = outcome.Result!.ToSlot;
        await AssertServesAsync("healthcheck-passes", slot);
        var container = await ContainerAsync(slot);
        Assert.True(container is { Running: true, HealthStatus: "healthy" }, $"Docker must report the live container healthy: {container}");
    }
}
