using Mizan.Agent.Apps;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Tests.Doubles;
using static Mizan.Agent.Tests.Doubles.OrchestrationWorld;

namespace Mizan.Agent.Tests.Deployments;

/// <summary>Each test starts from v1 deployed to green, then v2 deployed to blue and live (unless it says otherwise).</summary>
public sealed class RollbackRunTests : IDisposable
{
    private readonly OrchestrationWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task ExecuteAsync_HotStandbyRunning_SwitchesToItWithoutStartingAnything()
    {
        var (v1, _) = await world.GivenV1StandbyAndV2LiveAsync();

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Succeeded, result.State);
        Assert.Equal(
            ["Validate Succeeded", "Start Skipped", "Check Succeeded", "Switch Succeeded", "Verify Succeeded", "Standby Succeeded", "Done Succeeded"],
            result.Steps);
        Assert.Equal((v1.Image, v1.Digest), (result.Record.Image, result.Record.Digest));
        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Pull));
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.StartSlot));
        Assert.Equal(Slot.Blue, Assert.Single(await world.Standbys.ListAsync(CancellationToken.None)).Slot);
    }

    [Fact]
    public async Task ExecuteAsync_StandbyStopped_StartsItAgainThenSwitches()
    {
        var (v1, _) = await world.GivenV1StandbyAndV2LiveAsync(standbyRunning: false);

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Succeeded, result.State);
        Assert.Equal(["started again"], v1.History);
        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
    }

    [Fact]
    public async Task ExecuteAsync_StartingTheStoppedStandbyFails_FailsWithLiveUntouched()
    {
        await world.GivenV1StandbyAndV2LiveAsync(standbyRunning: false);
        world.Containers.StartExisting.Fails();

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("rollback start failed", result.Message, StringComparison.Ordinal);
        Assert.Contains("live traffic untouched (still slot blue)", result.Message, StringComparison.Ordinal);
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task ExecuteAsync_StandbyGone_StartsThePreviousReleaseFromTheHistory()
    {
        var (v1, _) = await world.GivenV1StandbyAndV2LiveAsync();
        world.Containers.Remove(v1);

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Succeeded, result.State);
        Assert.Equal($"{Repository}:v1@{v1.Digest}", Assert.Single(world.Containers.CallsOf(RuntimeOperation.Pull)).Subject);
        Assert.Equal((v1.Image, v1.Digest), (world.InSlot(Slot.Green)!.Image, world.InSlot(Slot.Green)!.Digest));
        Assert.Equal($"{Repository}:v1", result.Record.Image);
        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
    }

    [Fact]
    public async Task ExecuteAsync_StandbyHoldsABuildThatNeverServed_StartsThePreviousGoodReleaseInstead()
    {
        await world.GivenV1StandbyAndV2LiveAsync();
        await world.GivenReleaseAsync(Slot.Green, "v3", state: DeploymentState.Failed);

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Succeeded, result.State);
        Assert.Equal($"{Repository}:v1", world.InSlot(Slot.Green)!.Image);
        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
    }

    [Fact]
    public async Task ExecuteAsync_StandbyRunsTheLiveDigest_StartsTheReleaseBeforeIt()
    {
        await world.GivenV1StandbyAndV2LiveAsync();
        await world.GivenReleaseAsync(Slot.Green, "v2");

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Succeeded, result.State);
        Assert.Equal($"{Repository}:v1", world.InSlot(Slot.Green)!.Image);
    }

    [Fact]
    public async Task ExecuteAsync_NoEarlierReleaseInTheHistory_FailsSayingToDeployAKnownGoodImage()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("the history has no earlier version of web; deploy a known-good image instead", result.Message, StringComparison.Ordinal);
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Pull));
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task ExecuteAsync_PullOfThePreviousReleaseFails_FailsWithLiveUntouched()
    {
        var (v1, _) = await world.GivenV1StandbyAndV2LiveAsync();
        world.Containers.Remove(v1);
        world.Containers.Pull.Fails();

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal(["Validate Succeeded", "Pull Failed", "Done Failed"], result.Steps);
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.StartSlot));
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task ExecuteAsync_StartingThePreviousReleaseFails_FailsWithLiveUntouched()
    {
        var (v1, _) = await world.GivenV1StandbyAndV2LiveAsync();
        world.Containers.Remove(v1);
        world.Containers.StartSlot.Fails();

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Equal(["Pull Succeeded", "Start Failed", "Done Failed"], result.Steps.TakeLast(3));
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task ExecuteAsync_StandbyFailsItsCheck_FailsWithLiveUntouched()
    {
        var (v1, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        v1.StopAnswering();

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("rollback check failed", result.Message, StringComparison.Ordinal);
        Assert.Equal("500", result.EndOf(DeploymentStep.Check).Details["status_code"]);
        Assert.Empty(world.Router.Switches);
        Assert.True(v2.Running);
    }

    [Fact]
    public async Task ExecuteAsync_StandbyAnswersOnlyAfterWarmingUp_WaitsForTheHealthGateAndSwitches()
    {
        var (v1, _) = await world.GivenV1StandbyAndV2LiveAsync(standbyRunning: false);
        v1.WarmsUpFor(1);

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Succeeded, result.State);
        Assert.Equal([Slot.Green], world.Router.MovesOf(App));
    }

    [Fact]
    public async Task ExecuteAsync_SwitchFails_FailsWithLiveUntouched()
    {
        var (v1, _) = await world.GivenV1StandbyAndV2LiveAsync();
        world.Router.Switch.FailsOnCall(1);

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("rollback switch failed", result.Message, StringComparison.Ordinal);
        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
        Assert.True(v1.Running);
    }

    [Fact]
    public async Task ExecuteAsync_VerifyFails_SwitchesBackToTheLiveSlot()
    {
        world.Image("v1").FailsBehindNginx();
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.RolledBack, result.State);
        Assert.Equal(["Verify Failed", "SwitchBack Succeeded", "Done Failed"], result.Steps.TakeLast(3));
        Assert.Contains("traffic switched back to slot blue", result.Message, StringComparison.Ordinal);
        Assert.Equal([Slot.Green, Slot.Blue], world.Router.MovesOf(App));
        Assert.True(v2.Running);
    }

    [Fact]
    public async Task ExecuteAsync_VerifyFailsAndSwitchingBackFails_FailsSayingTrafficIsOnTheStandby()
    {
        world.Image("v1").FailsBehindNginx();
        await world.GivenV1StandbyAndV2LiveAsync();
        world.Router.Switch.FailsOnCall(2);

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("switching back FAILED, traffic is on slot green", result.Message, StringComparison.Ordinal);
        Assert.Equal(Slot.Green, world.Router.LiveOf(App));
    }

    [Fact]
    public async Task ExecuteAsync_KeepingTheOldLiveAsStandbyFails_SwitchesBack()
    {
        var (_, v2) = await world.GivenV1StandbyAndV2LiveAsync();
        world.Web.KeepStandbyFor = TimeSpan.Zero;
        world.Containers.Stop.FailsOnCall(1);

        var result = await world.RollbackAsync();

        Assert.Equal(DeploymentState.RolledBack, result.State);
        Assert.Equal(["Standby Failed", "SwitchBack Succeeded", "Done Failed"], result.Steps.TakeLast(3));
        Assert.Equal(Slot.Blue, world.Router.LiveOf(App));
        Assert.True(v2.Running);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledDuringTheSwitch_IsInterruptedAndTrafficNeverMoves()
    {
        await world.GivenV1StandbyAndV2LiveAsync();
        using var stop = new CancellationTokenSource();
        world.Router.Switch.OnCall(1, async token =>
        {
            await stop.CancelAsync();
            token.ThrowIfCancellationRequested();
        });

        var result = await world.RollbackAsync(stop.Token);

        Assert.Equal(DeploymentState.Interrupted, result.State);
        Assert.Contains("the agent stopped during the rollback", result.Message, StringComparison.Ordinal);
        Assert.Empty(world.Router.MovesOf(App));
    }
}
