using Mizan.Agent.Apps;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Deployments;

/// <summary>
/// Runs once when the agent starts, before it takes calls: a deploy that was running when the agent died is marked
/// interrupted, and each app's traffic is left on, or returned to, a slot that answers its health check.
/// </summary>
public sealed partial class StartupReconciler(
    AppCatalog apps,
    DeploymentStore store,
    IContainerRuntime containers,
    SlotOperations slots,
    ITrafficRouter router,
    TimeProvider time,
    ILogger<StartupReconciler> logger)
{
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var interrupted = await store.ListRunningAsync(cancellationToken);
        foreach (var deployment in interrupted)
        {
            await MarkInterruptedAsync(deployment, cancellationToken);
        }

        try
        {
            await router.RestoreAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is TrafficSwitchException or DependencyUnavailableException or IOException)
        {
            LogRestoreFailed(logger, ex.Message);
        }

        foreach (var app in apps.Names)
        {
            try
            {
                await ReconcileTrafficAsync(app, cancellationToken);
                await StopHalfDeployedAsync(app, interrupted, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReconcileFailed(logger, app, ex.Message);
            }
        }
    }

    private async Task MarkInterruptedAsync(DeploymentRecord deployment, CancellationToken cancellationToken)
    {
        var events = await store.GetEventsAsync(deployment.Id, cancellationToken);
        var now = time.GetUtcNow();
        var message = "interrupted: the agent stopped while this ran; live traffic was reconciled when it started again";
        await store.AppendEventAsync(
            new DeploymentEventRecord(deployment.Id, events.Count + 1, now, DeploymentStep.Done, StepStatus.Failed, message, new Dictionary<string, string>()),
            cancellationToken);
        await store.UpdateAsync(deployment with { State = DeploymentState.Interrupted, EndedAt = now, Message = message }, cancellationToken);
        LogInterrupted(logger, deployment.App, deployment.Id);
    }

    private async Task ReconcileTrafficAsync(string app, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        var live = await router.GetLiveSlotAsync(app, cancellationToken);
        if (live is not { } liveSlot)
        {
            return;
        }

        if ((await slots.ProbeAsync(app, options, liveSlot, cancellationToken)).Healthy)
        {
            // The file may have been written by a switch that died before its reload: make nginx serve what it says.
            await router.SwitchAsync(app, liveSlot, cancellationToken);
            LogLiveHealthy(logger, app, liveSlot.Name());
            return;
        }

        var other = liveSlot.Other();
        if ((await slots.ProbeAsync(app, options, other, cancellationToken)).Healthy)
        {
            await router.SwitchAsync(app, other, cancellationToken);
            LogReturned(logger, app, liveSlot.Name(), other.Name());
            return;
        }

        if (await containers.FindSlotContainerAsync(app, liveSlot, cancellationToken) is { State: not "running" } stopped)
        {
            await containers.StartExistingAsync(stopped.Id, cancellationToken);
            var health = await slots.WaitHealthyAsync(options, liveSlot, stopped.Id, cancellationToken);
            if (health.Healthy)
            {
                LogRestarted(logger, app, liveSlot.Name());
                return;
            }
        }

        LogNoHealthySlot(logger, app, liveSlot.Name());
    }

    /// <summary>A container an interrupted deploy started but never made live was not verified: it must not keep running.</summary>
    private async Task StopHalfDeployedAsync(string app, IReadOnlyList<DeploymentRecord> interrupted, CancellationToken cancellationToken)
    {
        var live = await router.GetLiveSlotAsync(app, cancellationToken);
        foreach (var slot in new[] { Slot.Blue, Slot.Green })
        {
            if (slot != live
                && await containers.FindSlotContainerAsync(app, slot, cancellationToken) is { State: "running" } container
                && interrupted.Any(d => d.App == app && d.Id == container.DeploymentId))
            {
                await containers.StopAsync(container.Id, TimeSpan.Zero, cancellationToken);
                LogStoppedHalfDeployed(logger, app, slot.Name(), container.DeploymentId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: stopped slot {Slot}, started by interrupted deployment {DeploymentId} and never verified")]
    private static partial void LogStoppedHalfDeployed(ILogger logger, string app, string slot, string deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId} of {App} was running when the agent stopped; marked interrupted")]
    private static partial void LogInterrupted(ILogger logger, string app, string deploymentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{App}: live slot {Slot} is healthy")]
    private static partial void LogLiveHealthy(ILogger logger, string app, string slot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: live slot {FromSlot} is not healthy; traffic returned to slot {Slot}")]
    private static partial void LogReturned(ILogger logger, string app, string fromSlot, string slot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: live slot {Slot} was stopped; started it again")]
    private static partial void LogRestarted(ILogger logger, string app, string slot);

    [LoggerMessage(Level = LogLevel.Error, Message = "{App}: no slot answers its health check (live is {Slot}); the app is down until a deploy or rollback")]
    private static partial void LogNoHealthySlot(ILogger logger, string app, string slot);

    [LoggerMessage(Level = LogLevel.Error, Message = "The recorded traffic routes could not be restored: {Reason}")]
    private static partial void LogRestoreFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{App}: reconciliation failed: {Reason}")]
    private static partial void LogReconcileFailed(ILogger logger, string app, string reason);
}
