using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class VerifyFailureRollsBackAutomatically(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task AHealthyBuildThatFailsThroughNginxIsSwitchedBackToV1()
    {
        await StartAsync();
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;

        var outcome = await DeployAsync(AppVariant.VerifyFails);

        AssertState(outcome, DeploymentState.RolledBack);
        Assert.True(outcome.Has(Step.Check, StepStatus.Succeeded), outcome.ToString());
        Assert.True(outcome.Has(Step.Switch, StepStatus.Succeeded), outcome.ToString());
        Assert.Equal(Step.Verify, outcome.FirstFailedStep);
        Assert.True(outcome.Has(Step.SwitchBack, StepStatus.Succeeded), outcome.ToString());
        Assert.Contains("404", outcome.OnlyEvent(Step.Verify, StepStatus.Failed).Message, StringComparison.Ordinal);

        await AssertServesAsync("v1", v1Slot);
        Assert.Contains($"127.0.0.1:{Config.PortOf(v1Slot)};", ReadUpstreamFile(), StringComparison.Ordinal);
        Assert.True((await ContainerAsync(v1Slot)) is { Running: true }, "v1 must keep running");
        var rejected = await ContainerAsync(AgentConfig.OtherSlot(v1Slot));
        Assert.True(rejected is null or { Running: false }, $"the rejected build must not keep running: {rejected}");
        Assert.Equal(v1Slot, (await StatusAsync()).LiveSlot);
        Assert.Equal(DeploymentState.RolledBack, (await GetDeploymentAsync(outcome.DeploymentId)).State);
    }
}
