using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class RollbackSwitchesBackToStandby(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task AfterV2ARollbackSendsTrafficBackToTheStillRunningV1()
    {
        await StartAsync();
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var v1ContainerId = (await ContainerAsync(v1Slot))!.Id;
        var v2Slot = (await DeploySucceedsAsync(AppVariant.V2)).Result!.ToSlot;

        var rollback = await RollbackAsync();

        AssertState(rollback, DeploymentState.Succeeded);
        Assert.Equal(DeploymentKind.Rollback, rollback.Result!.Kind);
        Assert.Equal(v2Slot, rollback.Result.FromSlot);
        Assert.Equal(v1Slot, rollback.Result.ToSlot);
        Assert.True(rollback.Has(Step.Switch, StepStatus.Succeeded), rollback.ToString());
        Assert.False(rollback.Has(Step.Pull, StepStatus.Succeeded), $"a hot standby needs no pull: {rollback}");

        await AssertServesAsync("v1", v1Slot);
        Assert.Contains($"127.0.0.1:{Config.PortOf(v1Slot)};", ReadUpstreamFile(), StringComparison.Ordinal);
        var v1Container = await ContainerAsync(v1Slot);
        Assert.Equal(v1ContainerId, v1Container?.Id);
        var status = await StatusAsync();
        Assert.Equal(v1Slot, status.LiveSlot);
        Assert.Equal(DeploymentKind.Rollback, status.LastDeployment.Kind);
    }
}
