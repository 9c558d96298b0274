using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class ClientDisconnectThenWatchShowsTheEnd(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TheDeployGoesOnWithoutItsCallerAndWatchReplaysItToTheResult()
    {
        await StartAsync(configure: c => c
            .WithEnvironment(AppImageRecipe.StartDelayVariable, "3")
            .WithHealth(startTimeout: TimeSpan.FromSeconds(20)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;

        DeploymentEvent firstSeen;
        using (var deploy = await StartDeployAsync(AppVariant.Slow))
        {
            firstSeen = await deploy.WaitForAsync(_ => true, "the first event", Token);
        }

        Output.WriteLine($"disconnected after event #{firstSeen.Sequence} {firstSeen.Step} {firstSeen.Status}");
        Assert.NotEqual(Step.Done, firstSeen.Step);
        await AssertServesAsync("v1", v1Slot);

        var watched = await WatchAsync(firstSeen.DeploymentId);

        AssertState(watched, DeploymentState.Succeeded);
        Assert.Equal(firstSeen.Sequence, watched.Events[0].Sequence);
        Assert.Equal(firstSeen.Step, watched.Events[0].Step);
        Assert.Equal(Enumerable.Range(watched.Events[0].Sequence, watched.Events.Count), watched.Events.Select(e => e.Sequence));
        Assert.True(watched.Has(Step.Check, StepStatus.Succeeded) && watched.Has(Step.Switch, StepStatus.Succeeded), watched.ToString());
        Assert.Equal(Step.Done, watched.Events[^1].Step);
        await AssertServesAsync("slow", watched.Result!.ToSlot);

        var stored = await GetDeploymentAsync(firstSeen.DeploymentId);
        Assert.Equal(watched.Events.Count, stored.Events.Count);

        var watchedAgain = await WatchAsync(firstSeen.DeploymentId);
        Assert.Equal(watched.Events.Select(e => (e.Sequence, e.Step, e.Status)), watchedAgain.Events.Select(e => (e.Sequence, e.Step, e.Status)));
        Assert.Equal(DeploymentState.Succeeded, watchedAgain.State);
    }
}
