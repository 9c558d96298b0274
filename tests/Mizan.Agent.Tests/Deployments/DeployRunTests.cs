using Microsoft.Extensions.Logging;
using Mizan.Agent.Apps;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Tests.Doubles;
using static Mizan.Agent.Tests.Doubles.OrchestrationWorld;

namespace Mizan.Agent.Tests.Deployments;

public sealed class DeployRunTests : IDisposable
{
    private readonly OrchestrationWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task ExecuteAsync_FirstDeploy_GoesLiveInBlueWithNoStandbyToKeep()
    {
        var result = await world.DeployAsync("v1");

        Assert.Equal(DeploymentState.Succeeded, result.State);
        Assert.Equal(
            [
                "Validate Succeeded", "Pull Succeeded", "Start Succeeded", "Check Succeeded",
                "Switch Succeeded", "Verify Succeeded", "Standby Skipped", "Done Succeeded",
            ],
            result.Steps);
        Assert.Equal([Slot.Blue], world.Router.MovesOf(App));
        Assert.True(world.InSlot(Slot.Blue)!.Running);
    }

    [Fact]
    public async Task ExecuteAsync_SecondDeploy_GoesLiveInTheOtherSlotAndKeepsTheOldOneAsHotStandby()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Succeeded, result.State);
        Assert.Equal(("blue", "green", world.Image("v2").Digest), (result.Record.FromSlot, result.Record.ToSlot, result.Record.Digest));
        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
        Assert.True(v1.Running);
        Assert.Equal(
            new StandbyLease(App, Slot.Blue, world.Clock.GetUtcNow() + world.Web.KeepStandbyFor),
            Assert.Single(await world.Standbys.ListAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task ExecuteAsync_KeepStandbyForIsZero_StopsThePreviousSlot()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Web.KeepStandbyFor = TimeSpan.Zero;

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Succeeded, result.State);
        Assert.Equal(["stopped"], v1.History);
        Assert.Empty(await world.Standbys.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ExecuteAsync_NoCommitGiven_TakesTheCommitAndItsTimeFromTheImageLabels()
    {
        const string Sha = "0123456789abcdef0123456789abcdef01234567";
        world.Image("v2").WithLabels(new Dictionary<string, string>
        {
            [ImageProvenance.RevisionLabel] = Sha,
            [ImageProvenance.CreatedLabel] = "2026-11-27T09:00:00Z",
        });

        var result = await world.DeployAsync("v2");

        Assert.Equal(Sha, result.Record.CommitSha);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), result.Record.CommitTime);
    }

    [Fact]
    public async Task ExecuteAsync_PullFails_FailsBeforeStartingAnythingAndTrafficNeverMoves()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Containers.Pull.Fails();

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal(["Validate Succeeded", "Pull Failed", "Done Failed"], result.Steps);
        Assert.Contains("pull failed: the registry localhost:5000 cannot be reached", result.Message, StringComparison.Ordinal);
        Assert.Contains("live traffic untouched (still slot blue)", result.Message, StringComparison.Ordinal);
        Assert.Empty(world.Router.Switches);
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.StartSlot));
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Stop));
        Assert.True(v1.Running);
    }

    [Fact]
    public async Task ExecuteAsync_StartFails_FailsWithLiveUntouchedAndTheReplacedStandbyNoLongerBacksARollback()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        await world.Standbys.SetAsync(new StandbyLease(App, Slot.Green, world.Clock.GetUtcNow().AddHours(1)), CancellationToken.None);
        world.Containers.StartSlot.Fails();

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal(["Validate Succeeded", "Pull Succeeded", "Start Failed", "Done Failed"], result.Steps);
        Assert.Contains("start failed", result.Message, StringComparison.Ordinal);
        Assert.Empty(world.Router.Switches);
        Assert.Empty(await world.Standbys.ListAsync(CancellationToken.None));
        Assert.True(v1.Running);
    }

    [Fact]
    public async Task ExecuteAsync_EnvFileUnreadable_FailsAtStartNamingTheFileAndCreatesNoContainer()
    {
        world.Web.EnvFile = Path.Combine(Path.GetTempPath(), "mizan-no-such-dir", "web.env");

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal(DeploymentStep.Start, result.Events.Last(e => e.Status == StepStatus.Failed && e.Step != DeploymentStep.Done).Step);
        Assert.Contains("cannot use EnvFile", result.Message, StringComparison.Ordinal);
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.StartSlot));
    }

    [Fact]
    public async Task ExecuteAsync_CheckTimesOut_FailsWithTheAppsLogAndStopsTheNewContainer()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Image("v2").Unhealthy();

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal("Check Failed", result.Steps[^2]);
        Assert.Contains("not healthy within 30 s", result.Message, StringComparison.Ordinal);
        var check = result.EndOf(DeploymentStep.Check);
        Assert.Equal("500", check.Details["status_code"]);
        Assert.Contains("web:v2", check.Details["log_tail"], StringComparison.Ordinal);
        Assert.Equal(["stopped"], world.InSlot(Slot.Green)!.History);
        Assert.Empty(world.Router.Switches);
        Assert.True(v1.Running);
    }

    [Fact]
    public async Task ExecuteAsync_ContainerExitsDuringCheck_FailsAtOnceWithItsExitCode()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Image("v2").ExitsDuringCheck(3, atInspection: 2);

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("check failed: the container exited with code 3", result.Message, StringComparison.Ordinal);
        // Each round asks the engine and the app together; the round whose inspection saw the exit was the last, instead
        // of probing on to the time-out.
        Assert.Equal(2, world.Network.Requests.Count(uri => uri.Port == GreenPort));
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task ExecuteAsync_OutOfMemoryMarkedJustAfterTheExit_SaysKilledOutOfMemory()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Image("v2").KilledOutOfMemoryDuringCheck(atInspection: 2, markedInspectionsLater: 3);

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains($"check failed: the container was {ContainerFailure.OutOfMemory}", result.Message, StringComparison.Ordinal);
        // The second looks ask only the engine: the app is not probed again.
        Assert.Equal(2, world.Network.Requests.Count(uri => uri.Port == GreenPort));
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task ExecuteAsync_KilledButNeverMarkedOutOfMemory_SaysItsExitCode()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Image("v2").ExitsDuringCheck(137, atInspection: 2);

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("check failed: the container exited with code 137", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ContainerFailure.OutOfMemory, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ImageHealthcheckUnhealthy_FailsTheCheckThoughHttpAnswers()
    {
        world.Image("v2").WithDockerHealth("unhealthy");

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("Docker HEALTHCHECK reports unhealthy", result.Message, StringComparison.Ordinal);
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task ExecuteAsync_SwitchFails_FailsStopsTheNewContainerAndTrafficStaysOnTheOldSlot()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Router.Switch.FailsOnCall(1);

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal(["Check Succeeded", "Switch Failed", "Done Failed"], result.Steps.TakeLast(3));
        Assert.Contains("switch failed: nginx -t rejected the configuration", result.Message, StringComparison.Ordinal);
        Assert.Contains("live traffic untouched (still slot blue)", result.Message, StringComparison.Ordinal);
        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
        Assert.Empty(world.Router.MovesOf(App));
        Assert.Equal(["stopped"], world.InSlot(Slot.Green)!.History);
        Assert.True(v1.Running);
    }

    [Fact]
    public async Task ExecuteAsync_VerifyFails_SwitchesBackAndStopsTheNewContainer()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Image("v2").FailsBehindNginx();

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.RolledBack, result.State);
        Assert.Equal(["Switch Succeeded", "Verify Failed", "SwitchBack Succeeded", "Done Failed"], result.Steps.TakeLast(4));
        Assert.Contains("rolled back: traffic switched back to slot blue", result.Message, StringComparison.Ordinal);
        Assert.Equal([Slot.Green, Slot.Blue], world.Router.MovesOf(App));
        Assert.Equal(Slot.Blue, world.Router.RoutedOf(App));
        Assert.Equal(["stopped"], world.InSlot(Slot.Green)!.History);
        Assert.True(v1.Running);
    }

    [Fact]
    public async Task ExecuteAsync_VerifyFailsAndSwitchingBackFails_FailsSayingTrafficIsOnTheNewSlotAndKeepsItRunning()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Image("v2").FailsBehindNginx();
        world.Router.Switch.FailsOnCall(2);

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal(["Verify Failed", "SwitchBack Failed", "Done Failed"], result.Steps.TakeLast(3));
        Assert.Contains("switching back to slot blue FAILED too, traffic is on slot green", result.Message, StringComparison.Ordinal);
        Assert.Contains("mizanctl rollback --app web", result.Message, StringComparison.Ordinal);
        Assert.Equal(Slot.Green, world.Router.LiveOf(App));
        Assert.True(world.InSlot(Slot.Green)!.Running);
        Assert.Empty(world.InSlot(Slot.Green)!.History);
    }

    [Fact]
    public async Task ExecuteAsync_SwitchedBackButNginxGoesOnRoutingToTheNewSlot_FailsAndKeepsTheNewSlotRunning()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Image("v2").FailsBehindNginx();
        world.Router.Switch.OnCall(2, () => world.Router.RoutingFrozen = true);

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("does not route there yet", result.EndOf(DeploymentStep.SwitchBack).Message, StringComparison.Ordinal);
        Assert.Equal(Slot.Green, world.Router.RoutedOf(App));
        Assert.True(world.InSlot(Slot.Green)!.Running);
    }

    [Fact]
    public async Task ExecuteAsync_FirstDeployFailsAfterTheSwitch_FailsAndItsSlotStaysLiveWithNothingToReturnTo()
    {
        world.Image("v1").FailsBehindNginx();

        var result = await world.DeployAsync("v1");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal(["Switch Succeeded", "Verify Failed", "Done Failed"], result.Steps.TakeLast(3));
        Assert.Contains("this was the first deploy, so there is no previous slot to return to and slot blue stays live", result.Message,
            StringComparison.Ordinal);
        Assert.Equal([Slot.Blue], world.Router.MovesOf(App));
        Assert.True(world.InSlot(Slot.Blue)!.Running);
    }

    [Fact]
    public async Task ExecuteAsync_StandbyStepFails_SwitchesBackAndRollsBack()
    {
        var v1 = await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Web.KeepStandbyFor = TimeSpan.Zero;
        world.Containers.Stop.FailsOnCall(1);

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.RolledBack, result.State);
        Assert.Equal(["Verify Succeeded", "Standby Failed", "SwitchBack Succeeded", "Done Failed"], result.Steps.TakeLast(4));
        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
        Assert.True(v1.Running);
        Assert.Equal(["stopped"], world.InSlot(Slot.Green)!.History);
    }

    [Fact]
    public async Task ExecuteAsync_StoppingTheFailedContainerFails_StillEndsFailedAndSaysSo()
    {
        world.Image("v2").Unhealthy();
        world.Containers.Stop.Fails();

        var result = await world.DeployAsync("v2");

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.True(world.Logs.Has(LogLevel.Warning, "Could not stop slot blue of web"), string.Join('\n', world.Logs.Lines));
    }

    [Fact]
    public async Task ExecuteAsync_CancelledDuringThePull_IsInterruptedAndTrafficNeverMoves()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        using var stop = new CancellationTokenSource();
        world.Containers.Pull.OnCall(1, async token =>
        {
            await stop.CancelAsync();
            token.ThrowIfCancellationRequested();
        });

        var result = await world.DeployAsync("v2", stop.Token);

        Assert.Equal(DeploymentState.Interrupted, result.State);
        Assert.Equal(["Validate Succeeded", "Done Failed"], result.Steps);
        Assert.Contains("the agent stopped during the deploy", result.Message, StringComparison.Ordinal);
        Assert.Empty(world.Router.Switches);
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.StartSlot));
    }

    [Fact]
    public async Task ExecuteAsync_CancelledDuringTheCheck_IsInterruptedAndLeavesTheUnverifiedContainerToTheReconciler()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        using var stop = new CancellationTokenSource();
        world.Containers.StartSlot.OnCall(1, _ => stop.CancelAsync());

        var result = await world.DeployAsync("v2", stop.Token);

        Assert.Equal(DeploymentState.Interrupted, result.State);
        Assert.Empty(world.Router.Switches);
        Assert.True(world.InSlot(Slot.Green)!.Running);
    }
}
