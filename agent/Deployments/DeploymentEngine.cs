using Mizan.Agent.Apps;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Deployments;

/// <param name="RequestedBy">What the client says about itself; empty when it said nothing.</param>
/// <param name="IdempotencyKey">Chosen by the client; a repeat returns the deployment it started instead of a second one.</param>
/// <param name="Caller">Who the agent authenticated for the call, recorded apart from what the client claims.</param>
public sealed record DeployCommand(
    string App,
    string Image,
    string? CommitSha,
    DateTimeOffset? CommitTime,
    string RequestedBy,
    string? IdempotencyKey = null,
    string? Caller = null);

/// <summary>
/// Starts deploys and rollbacks. Everything a caller can get wrong is checked here, before a deployment exists,
/// so it comes back as a clear error and changes nothing. The run itself belongs to the agent, not to the caller's
/// connection: it goes on if CI disconnects, and stops only when the agent does.
/// </summary>
public sealed class DeploymentEngine(
    AppCatalog apps,
    AppLocks locks,
    IContainerRuntime containers,
    ITrafficRouter router,
    DeploymentJournal journal,
    DeploymentStore store,
    DeployRun deployRun,
    RollbackRun rollbackRun,
    TimeProvider time) : IHostedService, IDisposable
{
    private readonly List<Task> running = [];

    // Not the host's stopping token: a stop lets running deploys finish, and only a stop that runs out of time aborts them.
    private readonly CancellationTokenSource abort = new();

    public async Task<DeploymentRecord> StartDeployAsync(DeployCommand command, CancellationToken cancellationToken)
    {
        var options = apps.Get(command.App);
        var image = AppImageResolver.Resolve(command.App, options, command.Image);
        if (await SameRequestAsync(command, image, cancellationToken) is { } existing)
        {
            return existing;
        }

        await EnsureDependenciesAsync(cancellationToken);
        var id = NewId();
        var lease = locks.Acquire(command.App, id, $"deploy of {image}");
        try
        {
            // Checked again under the lock: the first request with this key may have started in between.
            if (await SameRequestAsync(command, image, cancellationToken) is { } started)
            {
                lease.Dispose();
                return started;
            }

            var record = new DeploymentRecord(id.Value, command.App, DeploymentKind.Deploy, DeploymentState.Running, image.ToString(), image.Digest,
                command.CommitSha, command.CommitTime, command.RequestedBy, time.GetUtcNow(), null, null, null, null, command.IdempotencyKey, command.Caller);
            await journal.BeginAsync(record, cancellationToken);
            Launch(lease, token => deployRun.ExecuteAsync(record, image, token));
            return record;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <param name="requestedBy">What the client says about itself; empty when it said nothing.</param>
    /// <param name="caller">Who the agent authenticated for the call.</param>
    public async Task<DeploymentRecord> StartRollbackAsync(string app, string requestedBy, string? caller, CancellationToken cancellationToken)
    {
        apps.Get(app);
        await EnsureDependenciesAsync(cancellationToken);
        var live = await router.GetLiveSlotAsync(app, cancellationToken)
            ?? throw new InvalidRequestException($"app '{app}' has never been switched live, so there is nothing to roll back to");
        var id = NewId();
        var lease = locks.Acquire(app, id, "rollback");
        try
        {
            // Chosen under the lock and before the rollback exists: a release the image policy now refuses changes nothing.
            var plan = await rollbackRun.PlanAsync(app, live, cancellationToken);
            var record = new DeploymentRecord(
                id.Value,
                app,
                DeploymentKind.Rollback,
                DeploymentState.Running,
                "",
                null,
                null,
                null,
                requestedBy,
                time.GetUtcNow(),
                null,
                live.Name(),
                live.Other().Name(),
                null,
                Caller: caller);
            await journal.BeginAsync(record, cancellationToken);
            Launch(lease, token => rollbackRun.ExecuteAsync(record, live, plan, token));
            return record;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>On stop, running deploys may finish; when the host's shutdown time runs out they are aborted and recorded as interrupted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task all;
        lock (running)
        {
            all = Task.WhenAll(running);
        }

        try
        {
            await all.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await abort.CancelAsync();
            await all;
        }
    }

    public void Dispose() => abort.Dispose();

    /// <summary>The deployment an earlier request with the same idempotency key started; the key must mean the same image.</summary>
    private async Task<DeploymentRecord?> SameRequestAsync(DeployCommand command, ImageReference image, CancellationToken cancellationToken)
    {
        if (command.IdempotencyKey is not { } key)
        {
            return null;
        }

        var existing = await store.FindByIdempotencyKeyAsync(command.App, key, cancellationToken);
        if (existing is not null && existing.Image != image.ToString())
        {
            throw new InvalidRequestException(
                $"idempotency key '{AppCatalog.Printable(key)}' already started deployment {existing.Id} of {existing.Image}; use a new key for {image}");
        }

        return existing;
    }

    private async Task EnsureDependenciesAsync(CancellationToken cancellationToken)
    {
        // Asked together: each fails with its own clear message, and a rollback waits for the slower one only.
        await Task.WhenAll(containers.PingAsync(cancellationToken), router.EnsureReachableAsync(cancellationToken));
    }

    private void Launch(IDisposable lease, Func<CancellationToken, Task> run)
    {
        var task = Task.Run(async () =>
        {
            using (lease)
            {
                await run(abort.Token);
            }
        }, CancellationToken.None);
        lock (running)
        {
            running.RemoveAll(t => t.IsCompleted);
            running.Add(task);
        }
    }

    private OperationId NewId() => OperationId.New(OperationKind.Deployment, time);
}
