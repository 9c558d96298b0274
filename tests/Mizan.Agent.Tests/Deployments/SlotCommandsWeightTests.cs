using Mizan.Agent.Apps;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Tests.Doubles;
using static Mizan.Agent.Tests.Doubles.OrchestrationWorld;

namespace Mizan.Agent.Tests.Deployments;

/// <summary>The weight primitive on the in-memory runtime and router.</summary>
public sealed class SlotCommandsWeightTests : IDisposable
{
    private readonly OrchestrationWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task SetWeightAsync_TenPercentToTheStandby_SplitsAndLiveStaysLive()
    {
        await world.GivenV1StandbyAndV2LiveAsync();

        var (route, _) = await world.Clock.DriveAsync(world.SlotCommands.SetWeightAsync(App, "green", 10, CancellationToken.None));

        Assert.Equal(new TrafficRoute(Slot.Blue, OtherPercent: 10, Backup: true), route);
        Assert.Equal(route, world.Router.RouteOf(App));
    }

    [Fact]
    public async Task SetWeightAsync_SeventyPercentToTheLiveSlot_GivesTheOtherThirty()
    {
        await world.GivenV1StandbyAndV2LiveAsync();

        var (route, _) = await world.Clock.DriveAsync(world.SlotCommands.SetWeightAsync(App, "blue", 70, CancellationToken.None));

        Assert.Equal(30, route.OtherPercent);
        Assert.Equal(Slot.Blue, route.Live);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(15)]
    public async Task SetWeightAsync_NotAWeightTheFrontPortsAllow_IsRefusedAndChangesNothing(int percent)
    {
        await world.GivenV1StandbyAndV2LiveAsync();

        await Assert.ThrowsAsync<InvalidRequestException>(
            () => world.Clock.DriveAsync(world.SlotCommands.SetWeightAsync(App, "green", percent, CancellationToken.None)));

        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task SetWeightAsync_FifteenPercentToTheLiveSlot_IsRefusedNamingTheFifteenAskedFor()
    {
        await world.GivenV1StandbyAndV2LiveAsync();

        var refused = await Assert.ThrowsAsync<InvalidRequestException>(
            () => world.Clock.DriveAsync(world.SlotCommands.SetWeightAsync(App, "blue", 15, CancellationToken.None)));

        Assert.Contains("15 % is not", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("85 %", refused.Message, StringComparison.Ordinal);
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task SetWeightAsync_NothingLiveYet_IsRefusedSayingToDeployFirst()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1");

        var refused = await Assert.ThrowsAsync<InvalidRequestException>(
            () => world.Clock.DriveAsync(world.SlotCommands.SetWeightAsync(App, "blue", 50, CancellationToken.None)));

        Assert.Contains("deploy it first", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetWeightAsync_ShareForABuildThatNeverServed_IsRefusedAndChangesNothing()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        await world.GivenReleaseAsync(Slot.Green, "v2", state: DeploymentState.Failed);

        var refused = await Assert.ThrowsAsync<SlotPreconditionException>(
            () => world.Clock.DriveAsync(world.SlotCommands.SetWeightAsync(App, "green", 10, CancellationToken.None)));

        Assert.Equal(SlotPrecondition.NeverServed, refused.Precondition);
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task SetWeightAsync_AllBackToTheLiveSlot_AsksNothingOfTheOther()
    {
        var (v1, _) = await world.GivenV1StandbyAndV2LiveAsync();
        await world.Clock.DriveAsync(world.SlotCommands.SetWeightAsync(App, "green", 20, CancellationToken.None));
        v1.Crash();

        var (route, _) = await world.Clock.DriveAsync(world.SlotCommands.SetWeightAsync(App, "blue", 100, CancellationToken.None));

        Assert.Equal(new TrafficRoute(Slot.Blue), route);
    }
}
