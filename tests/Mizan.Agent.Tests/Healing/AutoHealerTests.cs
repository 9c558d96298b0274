using Microsoft.Extensions.Logging;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing;
using Mizan.Agent.Tests.Doubles;
using static Mizan.Agent.Tests.Doubles.OrchestrationWorld;

namespace Mizan.Agent.Tests.Healing;

/// <summary>Each test starts from v1 as hot standby in green and v2 live in blue (unless it says otherwise); auto-heal acts after 3 failed checks.</summary>
public sealed class AutoHealerTests : IDisposable
{
    private readonly OrchestrationWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task HandleAsync_LiveFailsAndTheStandbyAnswers_SwitchesToTheStandbyStopsTheFailedSlotAndClosesTheIncident()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.StopAnswering();

        await world.HealAsync(world.LiveCheckFails(3));

        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
        Assert.Equal(["stopped"], v2.History);
        Assert.Empty(await world.Standbys.ListAsync(CancellationToken.None));
        var healed = Assert.Single(AutoHealed());
        Assert.Equal(("switch", "blue", "green"), (healed.Details!["action"], healed.Details["from_slot"], healed.Details["to_slot"]));
        var incident = Assert.Single(await world.Incidents.ListOpenedSinceAsync(App, DateTimeOffset.MinValue, CancellationToken.None));
        Assert.NotNull(incident.ClosedAt);
        Assert.Contains("auto-heal switched traffic to the standby slot green", incident.Resolution, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_LiveContainerExited_SwitchesWithoutStoppingIt()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.Crash();

        await world.HealAsync(world.LiveCheckFails(3));

        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Stop));
    }

    [Fact]
    public async Task HandleAsync_SwitchToTheStandbyFails_StopsNothingAndLeavesTheIncidentOpen()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.StopAnswering();
        world.Router.Switch.Fails();

        await world.HealAsync(world.LiveCheckFails(3));

        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Stop));
        Assert.Empty(AutoHealed());
        Assert.NotNull(world.OpenIncidents.Of(App));
        Assert.True(world.Logs.Has(LogLevel.Error, "switching to slot green failed"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task HandleAsync_SwitchedButNginxDoesNotRouteThereYet_StillCountsTheSwitchAndSaysSo()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.StopAnswering();
        world.Router.RoutingFrozen = true;

        await world.HealAsync(world.LiveCheckFails(3));

        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
        Assert.Single(AutoHealed());
        Assert.True(world.Logs.Has(LogLevel.Warning, "nginx does not route to slot green yet"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task HandleAsync_StandbyUnhealthy_RestartsTheLiveContainerAndClosesTheIncident()
    {
        var (v1, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v1.StopAnswering();
        v2.Crash();

        await world.HealAsync(world.LiveCheckFails(3));

        AssertRestartedLive(v2, "slot green is unhealthy");
    }

    [Fact]
    public async Task HandleAsync_StandbyStopped_RestartsTheLiveContainer()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync(standbyRunning: false);
        v2.Crash();

        await world.HealAsync(world.LiveCheckFails(3));

        AssertRestartedLive(v2, "slot green is exited");
    }

    [Fact]
    public async Task HandleAsync_NoStandby_RestartsTheLiveContainer()
    {
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        v2.Crash();

        await world.HealAsync(world.LiveCheckFails(3));

        AssertRestartedLive(v2, "slot green is empty");
    }

    [Fact]
    public async Task HandleAsync_StandbyHoldsABuildThatNeverServed_RestartsTheLiveContainerInstead()
    {
        await world.GivenV1StandbyAndV2LiveAsync();
        await world.GivenReleaseAsync(Slot.Green, "v3", state: DeploymentState.Failed);
        var v2 = world.InSlot(Slot.Blue)!;
        v2.Crash();

        await world.HealAsync(world.LiveCheckFails(3));

        AssertRestartedLive(v2, "slot green holds a release that never served successfully");
    }

    [Fact]
    public async Task HandleAsync_StandbysImageThePolicyNoLongerAllows_RestartsTheLiveContainerInstead()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        world.Web.Image = "localhost:5000/web-next";
        v2.Crash();

        await world.HealAsync(world.LiveCheckFails(3));

        AssertRestartedLive(v2, "slot green holds an image the image policy no longer allows");
    }

    [Fact]
    public async Task HandleAsync_RestartFails_ReportsItAndLeavesTheIncidentOpen()
    {
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        v2.Crash();
        world.Containers.Restart.Fails();

        await world.HealAsync(world.LiveCheckFails(3));

        Assert.Single(world.Containers.CallsOf(RuntimeOperation.Restart));
        Assert.Empty(AutoHealed());
        Assert.NotNull(world.OpenIncidents.Of(App));
        Assert.True(world.Logs.Has(LogLevel.Error, "restarting the container in slot blue failed"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task HandleAsync_RestartDoesNotHelp_AnnouncesItAndLeavesTheIncidentOpen()
    {
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        v2.StopAnswering();

        await world.HealAsync(world.LiveCheckFails(3));

        Assert.Equal(["restarted"], v2.History);
        Assert.Contains("but it is still unhealthy", Assert.Single(AutoHealed()).Summary, StringComparison.Ordinal);
        Assert.NotNull(world.OpenIncidents.Of(App));
    }

    [Fact]
    public async Task HandleAsync_NoStandbyAndNoLiveContainer_ActsNot()
    {
        world.Router.SetLive(App, Slot.Blue);

        await world.HealAsync(world.LiveCheckFails(3));

        Assert.Empty(world.Containers.Calls);
        Assert.Empty(world.Router.Switches);
        Assert.True(world.Logs.Has(LogLevel.Error, "has no container to restart"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task HandleAsync_DeployHoldsTheLock_WaitsAndActsAtTheFirstCheckAfterIt()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.StopAnswering();
        var deploy = world.Locks.Acquire(App, OperationId.New(OperationKind.Deployment, world.Clock), "deploy of v3");

        await world.HealAsync(world.LiveCheckFails(3));
        var (switchesWhileLocked, incidentWhileLocked) = (world.Router.Switches.Count, world.OpenIncidents.Of(App));
        deploy.Dispose();
        await world.HealAsync(world.LiveCheckFails(1));

        Assert.Equal(0, switchesWhileLocked);
        Assert.NotNull(incidentWhileLocked);
        Assert.True(world.Logs.Has(LogLevel.Warning, "waits for deployment"), string.Join('\n', world.Logs.Lines));
        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
    }

    [Fact]
    public async Task HandleAsync_DeployTakesTheLockJustBeforeAutoHeal_LeavesTheAppToTheDeploy()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.StopAnswering();
        IDisposable? deploy = null;
        // Opening the incident looks up the live container: the deploy takes the lock meanwhile.
        world.Containers.Find.OnCall(1, () => deploy = world.Locks.Acquire(App, OperationId.New(OperationKind.Deployment, world.Clock), "deploy of v3"));

        await world.HealAsync(world.LiveCheckFails(3));
        deploy?.Dispose();

        Assert.NotNull(deploy);
        Assert.Empty(world.Router.Switches);
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Restart));
        Assert.NotNull(world.OpenIncidents.Of(App));
    }

    [Fact]
    public async Task HandleAsync_LiveAnswersAgainUnderTheLock_ActsNot()
    {
        await world.GivenV1StandbyAndV2LiveAsync();

        await world.HealAsync(world.LiveCheckFails(3));

        Assert.Empty(world.Router.Switches);
        Assert.Empty(world.Containers.Calls);
        Assert.True(world.Logs.Has(LogLevel.Information, "answers again; nothing to do"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task HandleAsync_LiveSlotGoneUnderTheLock_ActsNot()
    {
        var observation = world.LiveCheckFails(3) with { Live = Slot.Blue };

        await world.HealAsync(observation);

        Assert.Empty(world.Router.Switches);
        Assert.Empty(world.Containers.Calls);
        Assert.Empty(AutoHealed());
    }

    [Fact]
    public async Task HandleAsync_FewerFailuresThanTheThreshold_NeitherOpensAnIncidentNorActs()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.Crash();

        await world.HealAsync(world.LiveCheckFails(2));

        Assert.Null(world.OpenIncidents.Of(App));
        Assert.Empty(world.Router.Switches);
        Assert.Empty(world.Containers.Calls);
    }

    [Fact]
    public async Task HandleAsync_AutoHealOff_OpensTheIncidentButActsNot()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.Crash();
        world.Web.AutoHeal.Enabled = false;

        await world.HealAsync(world.LiveCheckFails(3));

        Assert.NotNull(world.OpenIncidents.Of(App));
        Assert.Empty(world.Router.Switches);
        Assert.Empty(world.Containers.Calls);
    }

    [Fact]
    public async Task HandleAsync_LiveAnswersAgainWithoutAction_ClosesTheIncidentSayingSo()
    {
        world.Web.AutoHeal.Enabled = false;
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.StopAnswering();
        await world.HealAsync(world.LiveCheckFails(3));
        v2.Recover();

        await world.HealAsync(world.LiveCheckPasses());

        Assert.Null(world.OpenIncidents.Of(App));
        var incident = Assert.Single(await world.Incidents.ListOpenedSinceAsync(App, DateTimeOffset.MinValue, CancellationToken.None));
        Assert.Equal("the live slot answers again without any action", incident.Resolution);
    }

    [Fact]
    public async Task HandleAsync_ObservationMeasuredBeforeTheLastAction_IsIgnored()
    {
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        v2.Crash();
        var observation = world.LiveCheckFails(3);
        await world.HealAsync(observation);
        v2.Crash();

        await world.HealAsync(observation);

        Assert.Single(world.Containers.CallsOf(RuntimeOperation.Restart));
    }

    [Fact]
    public async Task HandleAsync_FailsAgainAfterARestart_CountsOnlyTheChecksSinceBeforeActingAgain()
    {
        var v2 = await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        v2.Crash();
        await world.HealAsync(world.LiveCheckFails(3));
        v2.Crash();

        await world.HealAsync(world.LiveCheckFails(2));
        var afterTwo = world.Containers.CallsOf(RuntimeOperation.Restart).Count;
        await world.HealAsync(world.LiveCheckFails(1));

        Assert.Equal(1, afterTwo);
        Assert.Equal(2, world.Containers.CallsOf(RuntimeOperation.Restart).Count);
    }

    [Fact]
    public async Task HandleAsync_NoLiveCheckYet_ActsNot()
    {
        await world.GivenV1StandbyAndV2LiveAsync();

        await world.HealAsync(new HealObservation(App, Slot.Blue, null));

        Assert.Empty(world.Containers.Calls);
        Assert.Null(world.OpenIncidents.Of(App));
    }

    [Fact]
    public async Task Observe_FailingLiveCheck_IsHealedByTheAppsBackgroundLoop()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v2.StopAnswering();
        using var events = world.Events.Subscribe();
        await world.Healer.StartAsync(CancellationToken.None);

        world.Healer.Observe(new HealObservation("not-declared", Slot.Blue, null));
        world.Healer.Observe(world.LiveCheckFails(3));
        var healed = await world.Clock.DriveAsync(FirstAutoHealedAsync(events));
        await world.Healer.StopAsync(CancellationToken.None);

        Assert.Equal("switch", healed.Details!["action"]);
        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
    }

    private static async Task<AgentEvent> FirstAutoHealedAsync(AgentEvents.Subscription events)
    {
        await foreach (var agentEvent in events.Reader.ReadAllAsync())
        {
            if (agentEvent.Kind == AgentEventKind.AutoHealed)
            {
                return agentEvent;
            }
        }

        throw new InvalidOperationException("the event stream ended without an auto-heal");
    }

    private void AssertRestartedLive(FakeContainer live, string whyNotStandby)
    {
        Assert.Equal(["restarted"], live.History);
        Assert.Empty(world.Router.Switches);
        var healed = Assert.Single(AutoHealed());
        Assert.Equal("restart", healed.Details!["action"]);
        Assert.Contains(whyNotStandby, healed.Summary, StringComparison.Ordinal);
        Assert.Null(world.OpenIncidents.Of(App));
    }

    private List<AgentEvent> AutoHealed() => [.. world.Published.Where(e => e.Kind == AgentEventKind.AutoHealed)];
}
