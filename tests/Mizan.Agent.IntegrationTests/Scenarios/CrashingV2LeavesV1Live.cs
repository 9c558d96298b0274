using System.Diagnostics;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class CrashingV2LeavesV1Live(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AContainerThatExitsFailsTheCheckAtOnceWithItsLastWords()
    {
        await StartAsync(configure: c => c.WithHealth(startTimeout: StartTimeout));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var upstreamBefore = ReadUpstreamFile();
        await ImageAsync(AppVariant.Crash);

        var clock = Stopwatch.StartNew();
        var outcome = await DeployAsync(AppVariant.Crash);
        clock.Stop();

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Check, outcome.FirstFailedStep);
        Assert.True(
            clock.Elapsed < StartTimeout / 2,
            $"a container that exited must fail the check without waiting out StartTimeout ({StartTimeout}); took {clock.Elapsed}");
        var logTail = outcome.OnlyEvent(Step.Check, StepStatus.Failed).Details.GetValueOrDefault("log_tail") ?? "";
        Assert.Contains(AppImageRecipe.CrashLine, logTail, StringComparison.Ordinal);

        await AssertServesAsync("v1", v1Slot);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        var crashed = await ContainerAsync(AgentConfig.OtherSlot(v1Slot));
        Assert.True(crashed is null or { Running: false }, $"{crashed}");
    }
}
