using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class RegistryDownLeavesLiveUntouched(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task APullThatCannotReachTheRegistryFailsBeforeAnythingStarts()
    {
        await StartAsync(privateRegistry: true);
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        await ImageAsync(AppVariant.V2);
        var upstreamBefore = ReadUpstreamFile();

        await Registry.StopAsync();
        var outcome = await DeployAsync(AppVariant.V2);

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Pull, outcome.FirstFailedStep);
        Assert.False(outcome.Events.Any(e => e.Step == Step.Start), $"nothing may start without the image: {outcome}");
        Assert.Contains(Registry.Host, outcome.OnlyEvent(Step.Pull, StepStatus.Failed).Message + outcome.Result!.Message, StringComparison.Ordinal);

        await AssertServesAsync("v1", v1Slot);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        Assert.Null(await ContainerAsync(AgentConfig.OtherSlot(v1Slot)));
        Assert.True((await ContainerAsync(v1Slot)) is { Running: true }, "v1 must keep running");
    }
}
