using Microsoft.Extensions.Logging;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Tests.Doubles;
using static Mizan.Agent.Tests.Doubles.OrchestrationWorld;

namespace Mizan.Agent.Tests.Deployments;

public sealed class StartupReconcilerTests : IDisposable
{
    private readonly OrchestrationWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task ReconcileAsync_DeployRunningWhenTheAgentDied_IsMarkedInterruptedWithAFinalStep()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        var v2 = await world.GivenReleaseAsync(Slot.Green, "v2", state: DeploymentState.Running);

        await world.ReconcileAsync();

        var result = await world.ResultOfAsync(v2.DeploymentId);
        Assert.Equal(DeploymentState.Interrupted, result.State);
        Assert.NotNull(result.Record.EndedAt);
        Assert.Equal("Done Failed", result.Steps[^1]);
        Assert.StartsWith("interrupted: the agent stopped while this ran", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconcileAsync_ContainerOfTheInterruptedDeployNeverWentLive_IsStopped()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        var v2 = await world.GivenReleaseAsync(Slot.Green, "v2", state: DeploymentState.Running);

        await world.ReconcileAsync();

        Assert.Equal(["stopped"], v2.History);
        Assert.True(v1.Running);
        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
    }

    [Fact]
    public async Task ReconcileAsync_InterruptedDeployAlreadyLive_KeepsItsContainerServing()
    {
        await world.GivenReleaseAsync(Slot.Green, "v1");
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true, state: DeploymentState.Running);

        await world.ReconcileAsync();

        Assert.True(v2.Running);
        Assert.Empty(v2.History);
        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
    }

    [Fact]
    public async Task ReconcileAsync_StandbyOfAFinishedDeploy_IsKeptRunning()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Green, "v1");
        await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        // A rollback was running when the agent died; it started no container.
        await world.Store.InsertAsync(
            new DeploymentRecord(OperationId.New(OperationKind.Deployment, world.Clock).Value, App, DeploymentKind.Rollback, DeploymentState.Running, "", null,
                null, null, "ops", world.Clock.GetUtcNow(), null, "blue", "green", null),
            CancellationToken.None);

        await world.ReconcileAsync();

        Assert.True(v1.Running);
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Stop));
    }

    [Fact]
    public async Task ReconcileAsync_NeverSwitchedLive_LeavesTrafficAlone()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1");

        await world.ReconcileAsync();

        Assert.Empty(world.Router.Switches);
        Assert.Empty(world.Containers.Calls);
    }

    [Fact]
    public async Task ReconcileAsync_LiveSlotHealthy_SwitchesToItAgainSoNginxServesWhatTheFileSays()
    {
        await world.GivenReleaseAsync(Slot.Green, "v1");
        await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);

        await world.ReconcileAsync();

        Assert.Equal([new TrafficSwitch(App, Slot.Blue, true)], world.Router.Switches);
    }

    [Fact]
    public async Task ReconcileAsync_LiveUnhealthyAndTheOtherSlotHealthy_ReturnsTrafficToTheOther()
    {
        await world.GivenReleaseAsync(Slot.Green, "v1");
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        v2.StopAnswering();

        await world.ReconcileAsync();

        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
        Assert.True(world.Logs.Has(LogLevel.Warning, "traffic returned to slot green"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task ReconcileAsync_LiveDownAndTheOtherHoldsTheInterruptedDeploysBuild_NeverPutsItLive()
    {
        // The agent died during v2's check: the old live slot went down meanwhile, and v2 answers its health check.
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        var v2 = await world.GivenReleaseAsync(Slot.Green, "v2", state: DeploymentState.Running);
        v1.Crash();

        await world.ReconcileAsync();

        Assert.Empty(world.Router.MovesOf(App));
        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
        Assert.Equal(["stopped"], v2.History);
        Assert.Equal(["started again"], v1.History);
    }

    [Fact]
    public async Task ReconcileAsync_InterruptedRun_EndsThroughTheJournalSoWebhooksAndMetricsSeeIt()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        var v2 = await world.GivenReleaseAsync(Slot.Green, "v2", state: DeploymentState.Running);

        await world.ReconcileAsync();

        var interrupted = Assert.Single(world.Published, e => e.Kind == AgentEventKind.DeployInterrupted);
        Assert.Equal(v2.DeploymentId, interrupted.DeploymentId);
    }

    [Fact]
    public async Task ReconcileAsync_RestoringTheRecordedRoutesFails_StillReconcilesEachApp()
    {
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true, running: false);
        world.Router.Restore.FailsOnCall(1);

        await world.ReconcileAsync();

        Assert.Equal(["started again"], v2.History);
        Assert.True(world.Logs.Has(LogLevel.Error, "The recorded traffic routes could not be restored"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task ReconcileAsync_NoSlotHealthyAndTheLiveContainerStopped_StartsItAgain()
    {
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true, running: false);

        await world.ReconcileAsync();

        Assert.Equal(["started again"], v2.History);
        Assert.Empty(world.Router.Switches);
        Assert.True(world.Logs.Has(LogLevel.Warning, "live slot blue was stopped; started it again"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task ReconcileAsync_LiveContainerStartedAgainButUnhealthy_ReportsThatNoSlotAnswers()
    {
        world.Image("v2").Unhealthy();
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true, running: false);

        await world.ReconcileAsync();

        Assert.Equal(["started again"], v2.History);
        Assert.True(world.Logs.Has(LogLevel.Error, "no slot answers its health check (live is blue)"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task ReconcileAsync_BothSlotsRunningButUnhealthy_TouchesNothingAndReportsIt()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Green, "v1");
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        v1.StopAnswering();
        v2.StopAnswering();

        await world.ReconcileAsync();

        Assert.Empty(world.Router.Switches);
        Assert.Empty(world.Containers.Calls);
        Assert.True(world.Logs.Has(LogLevel.Error, "no slot answers its health check (live is blue)"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task ReconcileAsync_NoContainerInEitherSlot_ReportsThatNoSlotAnswers()
    {
        world.Router.SetLive(App, Slot.Blue);

        await world.ReconcileAsync();

        Assert.Empty(world.Containers.Calls);
        Assert.True(world.Logs.Has(LogLevel.Error, "no slot answers its health check"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task ReconcileAsync_OneAppFails_StillReconcilesTheOthers()
    {
        using var twoApps = new OrchestrationWorld(options => options.Apps["api"] = NewApp("localhost:5000/api", 18091, 18092));
        twoApps.Containers.Place("api", Slot.Blue, "localhost:5000/api:v1", OperationId.New(OperationKind.Deployment, twoApps.Clock).Value);
        twoApps.Router.SetLive("api", Slot.Blue);
        twoApps.Router.GetLive.FailsOnCall(1);

        await twoApps.ReconcileAsync();

        Assert.Equal([new TrafficSwitch("api", Slot.Blue, true)], twoApps.Router.Switches);
        Assert.True(twoApps.Logs.Has(LogLevel.Error, "web: reconciliation failed"), string.Join('\n', twoApps.Logs.Lines));
    }
}
