using Mizan.Agent.Apps;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Tests.Doubles;
using static Mizan.Agent.Tests.Doubles.OrchestrationWorld;

namespace Mizan.Agent.Tests.Deployments;

/// <summary>The one move and the one admission rule, on the in-memory runtime and router.</summary>
public sealed class TrafficMoveTests : IDisposable
{
    private readonly OrchestrationWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task MoveAsync_StandbyServedAndRuns_RoutesWithItAsBackupAndLeasesTheSlotLeft()
    {
        await world.GivenReleaseAsync(Slot.Green, "v1");
        await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);

        var moved = await world.Clock.DriveAsync(world.Move.MoveAsync(App, Slot.Green, checkedBy: null, keepLeft: true, CancellationToken.None));

        Assert.True(moved.Routed.Passed, moved.Routed.Message);
        Assert.Equal(new TrafficRoute(Slot.Green, Backup: true), world.Router.RouteOf(App));
        Assert.Equal(Slot.Blue, Assert.Single(await world.Standbys.ListAsync(CancellationToken.None)).Slot);
    }

    [Fact]
    public async Task RouteAsync_KeepStandbyForZero_ListsNoBackup()
    {
        using var world = new OrchestrationWorld(options => options.Apps[App].KeepStandbyFor = TimeSpan.Zero);
        await world.GivenReleaseAsync(Slot.Green, "v1");
        await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);

        await world.Clock.DriveAsync(world.Move.RouteAsync(App, Slot.Green, checkedBy: null, CancellationToken.None));

        Assert.Equal(new TrafficRoute(Slot.Green), world.Router.RouteOf(App));
    }

    [Fact]
    public async Task RouteAsync_OtherSlotHoldsAFailedDeploysBuild_ListsNoBackup()
    {
        await world.GivenReleaseAsync(Slot.Green, "v1", state: DeploymentState.Failed);
        await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);

        await world.Clock.DriveAsync(world.Move.RouteAsync(App, Slot.Blue, checkedBy: null, CancellationToken.None));

        Assert.Equal(new TrafficRoute(Slot.Blue), world.Router.RouteOf(App));
    }

    [Fact]
    public async Task RouteAsync_TargetIsTheBuildOfAnInterruptedDeploy_IsRefusedAndTrafficStays()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        await world.GivenReleaseAsync(Slot.Green, "v2", state: DeploymentState.Interrupted);

        var refused = await Assert.ThrowsAsync<SlotPreconditionException>(
            () => world.Clock.DriveAsync(world.Move.RouteAsync(App, Slot.Green, checkedBy: null, CancellationToken.None)));

        Assert.Equal(SlotPrecondition.NeverServed, refused.Precondition);
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task RouteAsync_TheRunsOwnCheckedBuild_IsAdmittedThoughItNeverServed()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        var v2 = await world.GivenReleaseAsync(Slot.Green, "v2", state: DeploymentState.Running);

        await world.Clock.DriveAsync(world.Move.RouteAsync(App, Slot.Green, checkedBy: v2.DeploymentId, CancellationToken.None));

        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
    }

    [Theory]
    [InlineData(false, SlotPrecondition.Unhealthy)]
    [InlineData(true, SlotPrecondition.Unhealthy)]
    public async Task MayServeAsync_StoppedOrFailingSlot_IsRefused(bool running, SlotPrecondition expected)
    {
        var v1 = await world.GivenReleaseAsync(Slot.Green, "v1", running: running);
        v1.StopAnswering();

        var admission = await world.Clock.DriveAsync(world.Admission.MayServeAsync(App, world.Web, Slot.Green, checkedBy: null, CancellationToken.None));

        Assert.False(admission.Admitted);
        Assert.Equal(expected, admission.Refusal);
    }

    [Fact]
    public async Task MayServeAsync_EmptySlot_IsRefusedAsHavingNoContainer()
    {
        var admission = await world.Clock.DriveAsync(world.Admission.MayServeAsync(App, world.Web, Slot.Green, checkedBy: null, CancellationToken.None));

        Assert.Equal(SlotPrecondition.HasNoContainer, admission.Refusal);
    }

    [Fact]
    public async Task WithdrawBackupAsync_SlotIsTheBackup_RoutesWithoutIt()
    {
        await world.GivenReleaseAsync(Slot.Green, "v1");
        await world.GivenReleaseAsync(Slot.Blue, "v2");
        await world.Clock.DriveAsync(world.Move.RouteAsync(App, Slot.Blue, checkedBy: null, CancellationToken.None));

        await world.Move.WithdrawBackupAsync(App, Slot.Green, CancellationToken.None);
        await world.Move.WithdrawBackupAsync(App, Slot.Blue, CancellationToken.None);

        Assert.Equal(new TrafficRoute(Slot.Blue), world.Router.RouteOf(App));
        Assert.Equal(2, world.Router.Switches.Count);
    }

    [Fact]
    public async Task DeployAsync_NewBuildGoesIntoTheBackupSlot_WithdrawsTheBackupBeforeStartingIt()
    {
        await world.GivenReleaseAsync(Slot.Green, "v1");
        await world.GivenReleaseAsync(Slot.Blue, "v2");
        await world.Clock.DriveAsync(world.Move.RouteAsync(App, Slot.Blue, checkedBy: null, CancellationToken.None));
        world.Image("v3");
        world.Containers.StartSlot.FailsOnCall(1);

        var result = await world.DeployAsync("v3");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal(new TrafficRoute(Slot.Blue), world.Router.RouteOf(App));
    }

    [Fact]
    public async Task SwitchAsync_PrimitiveToAFailedDeploysBuild_IsRefusedAsNeverServed()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        await world.GivenReleaseAsync(Slot.Green, "v2", state: DeploymentState.Failed);

        var refused = await Assert.ThrowsAsync<SlotPreconditionException>(
            () => world.Clock.DriveAsync(world.SlotCommands.SwitchAsync(App, "green", CancellationToken.None)));

        Assert.Equal(SlotPrecondition.NeverServed, refused.Precondition);
        Assert.Contains("never went live and passed its verify", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
    }

    [Fact]
    public async Task SwitchAsync_StandbysImageThePolicyNoLongerAllows_IsRefusedAndTrafficStays()
    {
        await world.GivenV1StandbyAndV2LiveAsync();
        world.Web.Image = "localhost:5000/web-next";

        var refused = await Assert.ThrowsAsync<SlotPreconditionException>(
            () => world.Clock.DriveAsync(world.SlotCommands.SwitchAsync(App, "green", CancellationToken.None)));

        Assert.Equal(SlotPrecondition.ImageNotAllowed, refused.Precondition);
        Assert.Contains($"it holds {Repository}:v1, which is outside app 'web''s image policy", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task RouteAsync_StandbysImageThePolicyNoLongerAllows_ListsNoBackup()
    {
        const string Former = "localhost:5000/old/web";
        await world.GivenReleaseAsync(Slot.Green, "v1", repository: Former);
        await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        world.Web.ImagePolicy.AllowedRepositories = [Former];
        await world.Clock.DriveAsync(world.Move.RouteAsync(App, Slot.Blue, checkedBy: null, CancellationToken.None));
        Assert.Equal(new TrafficRoute(Slot.Blue, Backup: true), world.Router.RouteOf(App));

        world.Web.ImagePolicy.AllowedRepositories = [];
        await world.Clock.DriveAsync(world.Move.RouteAsync(App, Slot.Blue, checkedBy: null, CancellationToken.None));

        Assert.Equal(new TrafficRoute(Slot.Blue), world.Router.RouteOf(App));
    }
}
