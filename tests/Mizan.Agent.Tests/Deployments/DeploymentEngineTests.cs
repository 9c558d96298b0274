using Microsoft.Data.Sqlite;
using Mizan.Agent.Apps;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Tests.Doubles;
using static Mizan.Agent.Tests.Doubles.OrchestrationWorld;

namespace Mizan.Agent.Tests.Deployments;

public sealed class DeploymentEngineTests : IDisposable
{
    private readonly OrchestrationWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task StartDeployAsync_DeclaredAppAndFreeLock_RecordsTheDeployRunsItAndFreesTheLock()
    {
        var record = await world.Engine.StartDeployAsync(Command("v1"), CancellationToken.None);
        await world.EngineRunsEndAsync();

        Assert.Equal((DeploymentState.Running, $"{Repository}:v1"), (record.State, record.Image));
        Assert.Equal(DeploymentState.Succeeded, (await world.ResultOfAsync(record.Id)).State);
        Assert.Null(world.Locks.HolderOf(App));
    }

    [Fact]
    public async Task StartDeployAsync_UnknownApp_IsRefusedBeforeAskingAnything()
    {
        var refused = await Assert.ThrowsAsync<InvalidRequestException>(
            () => world.Engine.StartDeployAsync(Command("v1") with { App = "api" }, CancellationToken.None));

        Assert.Contains("unknown app 'api'", refused.Message, StringComparison.Ordinal);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task StartDeployAsync_MalformedImage_IsRefusedBeforeAskingAnything()
    {
        var refused = await Assert.ThrowsAsync<InvalidRequestException>(() => world.Engine.StartDeployAsync(Command("v1 ; rm"), CancellationToken.None));

        Assert.Contains("malformed image reference", refused.Message, StringComparison.Ordinal);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task StartDeployAsync_ImageOutsideThePolicy_IsRefusedBeforeAnyPull()
    {
        await Assert.ThrowsAsync<PermissionDeniedException>(() => world.Engine.StartDeployAsync(Command("evil.example.com/web:v1"), CancellationToken.None));

        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task StartDeployAsync_DockerDoesNotAnswer_IsUnavailableAndRecordsNothing()
    {
        world.Containers.Ping.Fails();

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => world.Engine.StartDeployAsync(Command("v1"), CancellationToken.None));

        Assert.Empty(await world.Store.ListAsync(null, 10, CancellationToken.None));
        Assert.Null(world.Locks.HolderOf(App));
    }

    [Fact]
    public async Task StartDeployAsync_NginxUnreachable_IsUnavailableAndRecordsNothing()
    {
        world.Router.Reach.Fails();

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => world.Engine.StartDeployAsync(Command("v1"), CancellationToken.None));

        Assert.Empty(await world.Store.ListAsync(null, 10, CancellationToken.None));
        Assert.Null(world.Locks.HolderOf(App));
    }

    [Fact]
    public async Task StartDeployAsync_AppLocked_IsRefusedNamingTheHolder()
    {
        var running = OperationId.New(OperationKind.Deployment, world.Clock);
        using var held = world.Locks.Acquire(App, running, "deploy of v1");

        var refused = await Assert.ThrowsAsync<LockHeldException>(() => world.Engine.StartDeployAsync(Command("v2"), CancellationToken.None));

        Assert.Equal(running, refused.Holder);
        Assert.Empty(await world.Store.ListAsync(null, 10, CancellationToken.None));
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Pull));
    }

    [Fact]
    public async Task StartDeployAsync_SameIdempotencyKeyAgain_ReturnsTheFirstDeploymentAndStartsNoOther()
    {
        var first = await world.Engine.StartDeployAsync(Command("v1", key: "run-7"), CancellationToken.None);
        await world.EngineRunsEndAsync();

        var again = await world.Engine.StartDeployAsync(Command("v1", key: "run-7"), CancellationToken.None);

        Assert.Equal(first.Id, again.Id);
        Assert.Single(await world.Store.ListAsync(App, 10, CancellationToken.None));
        Assert.Single(world.Containers.CallsOf(RuntimeOperation.Pull));
    }

    [Fact]
    public async Task StartDeployAsync_SameIdempotencyKeyForAnotherImage_IsRefused()
    {
        await world.Engine.StartDeployAsync(Command("v1", key: "run-7"), CancellationToken.None);
        await world.EngineRunsEndAsync();

        var refused = await Assert.ThrowsAsync<InvalidRequestException>(
            () => world.Engine.StartDeployAsync(Command("v2", key: "run-7"), CancellationToken.None));

        Assert.Contains("use a new key", refused.Message, StringComparison.Ordinal);
        Assert.Single(await world.Store.ListAsync(App, 10, CancellationToken.None));
    }

    [Fact]
    public async Task StartDeployAsync_SameKeyStartedWhileThisRequestReachedTheLock_ReturnsThatDeploymentAndFreesTheLock()
    {
        var earlier = new DeploymentRecord(OperationId.New(OperationKind.Deployment, world.Clock).Value, App, DeploymentKind.Deploy, DeploymentState.Running,
            $"{Repository}:v1", null, null, null, "ci", world.Clock.GetUtcNow(), null, null, null, null, "run-7");
        // The first request with this key records its deployment while this one checks Docker and nginx.
        world.Router.Reach.OnCall(1, token => world.Store.InsertAsync(earlier, token));

        var returned = await world.Engine.StartDeployAsync(Command("v1", key: "run-7"), CancellationToken.None);

        Assert.Equal(earlier.Id, returned.Id);
        Assert.Null(world.Locks.HolderOf(App));
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Pull));
    }

    [Fact]
    public async Task StartDeployAsync_StoreFailsUnderTheLock_ThrowsAndFreesTheLock()
    {
        world.Router.Reach.OnCall(1, BreakTheStoreAsync);

        await Assert.ThrowsAsync<SqliteException>(() => world.Engine.StartDeployAsync(Command("v1"), CancellationToken.None));

        Assert.Null(world.Locks.HolderOf(App));
        Assert.Empty(world.Containers.CallsOf(RuntimeOperation.Pull));
    }

    [Fact]
    public async Task StartRollbackAsync_LiveWithAStandby_RecordsBothSlotsAndRunsToTheEnd()
    {
        await world.GivenReleaseAsync(Slot.Green, "v1");
        await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);

        var record = await world.Engine.StartRollbackAsync(App, "ops", caller: null, CancellationToken.None);
        await world.EngineRunsEndAsync();

        Assert.Equal((DeploymentKind.Rollback, "blue", "green"), (record.Kind, record.FromSlot, record.ToSlot));
        Assert.Equal(DeploymentState.Succeeded, (await world.ResultOfAsync(record.Id)).State);
        Assert.Equal(Slot.Green, world.Router.LiveOf(App));
        Assert.Null(world.Locks.HolderOf(App));
    }

    [Fact]
    public async Task StartRollbackAsync_UnknownApp_IsRefused()
    {
        await Assert.ThrowsAsync<InvalidRequestException>(() => world.Engine.StartRollbackAsync("api", "ops", caller: null, CancellationToken.None));

        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task StartRollbackAsync_NeverSwitchedLive_IsRefusedWithNothingToRollBackTo()
    {
        var refused = await Assert.ThrowsAsync<InvalidRequestException>(
            () => world.Engine.StartRollbackAsync(App, "ops", caller: null, CancellationToken.None));

        Assert.Contains("has never been switched live", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await world.Store.ListAsync(null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task StartRollbackAsync_DockerDoesNotAnswer_IsUnavailableAndRecordsNothing()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Containers.Ping.Fails();

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => world.Engine.StartRollbackAsync(App, "ops", caller: null, CancellationToken.None));

        Assert.Single(await world.Store.ListAsync(null, 10, CancellationToken.None));
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task StartRollbackAsync_AppLocked_IsRefusedAndTrafficNeverMoves()
    {
        await world.GivenReleaseAsync(Slot.Green, "v1");
        await world.GivenReleaseAsync(Slot.Blue, "v2", live: true);
        using var held = world.Locks.Acquire(App, OperationId.New(OperationKind.Deployment, world.Clock), "deploy of v3");

        await Assert.ThrowsAsync<LockHeldException>(() => world.Engine.StartRollbackAsync(App, "ops", caller: null, CancellationToken.None));

        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task StartRollbackAsync_StoreFailsUnderTheLock_ThrowsAndFreesTheLock()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Router.Reach.OnCall(1, BreakTheStoreAsync);

        await Assert.ThrowsAsync<SqliteException>(() => world.Engine.StartRollbackAsync(App, "ops", caller: null, CancellationToken.None));

        Assert.Null(world.Locks.HolderOf(App));
        Assert.Empty(world.Router.Switches);
    }

    [Fact]
    public async Task StopAsync_ShutdownTimeRunsOut_AbortsTheRunningDeployAndRecordsItInterrupted()
    {
        await world.GivenReleaseAsync(Slot.Blue, "v1", live: true);
        world.Containers.Pull.HangsOnCall(1);
        var record = await world.Engine.StartDeployAsync(Command("v2"), CancellationToken.None);
        await world.Containers.Pull.CalledAsync(1);
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();

        await world.Clock.DriveAsync(world.Engine.StopAsync(expired.Token));

        var result = await world.ResultOfAsync(record.Id);
        Assert.Equal(DeploymentState.Interrupted, result.State);
        Assert.Empty(world.Router.Switches);
        Assert.Null(world.Locks.HolderOf(App));
    }

    private static DeployCommand Command(string image, string? key = null) => new(App, image, null, null, "ci", key);

    /// <summary>The deployments table goes away, so recording the new deployment fails.</summary>
    private async Task BreakTheStoreAsync(CancellationToken cancellationToken)
    {
        await using var connection = await world.Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DROP TABLE deployment_events; DROP TABLE deployments;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task AssertNothingChangedAsync()
    {
        Assert.Empty(await world.Store.ListAsync(null, 10, CancellationToken.None));
        Assert.Empty(world.Containers.Calls);
        Assert.Empty(world.Router.Switches);
        Assert.Null(world.Locks.HolderOf(App));
    }
}
