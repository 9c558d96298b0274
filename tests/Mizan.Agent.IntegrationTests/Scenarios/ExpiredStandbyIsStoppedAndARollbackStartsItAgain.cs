using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class ExpiredStandbyIsStoppedAndARollbackStartsItAgain(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task AfterKeepStandbyForTheOldSlotStopsAndRollbackRestartsTheSameContainer()
    {
        await StartAsync(configure: c => c.WithKeepStandbyFor(TimeSpan.FromSeconds(1)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var v1ContainerId = (await ContainerAsync(v1Slot))!.Id;
        var v2 = await DeploySucceedsAsync(AppVariant.V2);
        Assert.True(v2.Has(Step.Standby, StepStatus.Succeeded), v2.ToString());

        // The agent looks at standby leases every 5 s.
        await Eventually.TrueAsync(
            async _ => (await ContainerAsync(v1Slot)) is { Running: false },
            TimeSpan.FromSeconds(20),
            () => $"the expired standby in slot {v1Slot} to be stopped{Environment.NewLine}{AgentLogTail()}",
            Token);
        Assert.Equal(v1ContainerId, (await ContainerAsync(v1Slot))?.Id);
        await AssertServesAsync("v2", v2.Result!.ToSlot);

        var rollback = await RollbackAsync();

        AssertState(rollback, DeploymentState.Succeeded);
        Assert.True(rollback.Has(Step.Start, StepStatus.Succeeded), $"the stopped standby must be started again: {rollback}");
        Assert.False(rollback.Has(Step.Pull, StepStatus.Succeeded), $"the stopped standby needs no pull: {rollback}");
        await AssertServesAsync("v1", v1Slot);
        Assert.Equal(v1ContainerId, (await ContainerAsync(v1Slot))?.Id);
    }
}
