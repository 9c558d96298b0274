using System.Text.Json.Nodes;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class AppOverItsMemoryLimitFailsTheCheckAsOutOfMemory(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TheCheckStepSaysKilledOutOfMemoryNotABareExitCode()
    {
        await StartAsync(configure: c => c
            .WithHealth(startTimeout: TimeSpan.FromSeconds(30))
            .WithContainer(new JsonObject { ["Memory"] = "16m" }));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;

        var outcome = await DeployAsync(AppVariant.MemoryHog);

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Check, outcome.FirstFailedStep);
        var failed = outcome.OnlyEvent(Step.Check, StepStatus.Failed);
        Assert.Contains("killed: out of memory", failed.Message, StringComparison.Ordinal);
        var hog = await ContainerAsync(AgentConfig.OtherSlot(v1Slot));
        Assert.True(hog is { OomKilled: true }, $"docker inspect must show State.OOMKilled: {hog}");
        await AssertServesAsync("v1", v1Slot);
    }
}
