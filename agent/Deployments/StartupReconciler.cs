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
    DeploymentJournal journal,
    IContainerRuntime containers,
    SlotOperations slots,
    ITrafficRouter router,
    TrafficMove move,
    SlotAdmission admission,
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

    /// <summary>Ended through the journal, as a run that ends while the agent lives: webhooks and metrics see it.</summary>
    private async Task MarkInterruptedAsync(DeploymentRecord deployment, CancellationToken cancellationToken)
    {
        await journal.ResumeAsync(deployment, cancellationToken);
        await journal.FinishAsync(
            deployment.Id,
            DeploymentState.Interrupted,
            "interrupted: the agent stopped while this ran; live traffic was reconciled when it started again",
            cancellationToken);
        LogInterrupted(logger, deployment.App, deployment.Id);
    }

    private async Task ReconcileTrafficAsync(string app, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        if (await router.GetRouteAsync(app, cancellationToken) is not { } route)
        {
            return;
        }

        var liveSlot = route.Live;
        if ((await slots.ProbeAsync(app, options, liveSlot, cancellationToken)).Healthy)
        {
            // Not a move: what the record says is applied again, since a switch may have died between writing it and
            // nginx or the kernel taking it.
            await router.RouteAsync(app, route, cancellationToken);
            LogLiveHealthy(logger, app, liveSlot.Name());
            return;
        }

        // The other slot takes over only under the rule every move follows: after a crash in the middle of a deploy it
        // may hold an unverified build, which one good probe must not put live.
        var other = liveSlot.Other();
        var otherAdmitted = await admission.MayServeAsync(app, options, other, checkedBy: null, cancellationToken);
        if (otherAdmitted.Admitted)
        {
            var moved = await move.MoveAsync(app, other, checkedBy: null, keepLeft: false, cancellationToken);
            LogReturned(logger, app, liveSlot.Name(), other.Name(), moved.Routed.Message);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: live slot {FromSlot} is not healthy; traffic returned to slot {Slot} ({Routed})")]
    private static partial void LogReturned(ILogger logger, string app, string fromSlot, string slot, string routed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: live slot {Slot} was stopped; started it again")]
    private static partial void LogRestarted(ILogger logger, string app, string slot);

    [LoggerMessage(Level = LogLevel.Error, Message = "{App}: no slot answers its health check (live is {Slot}); the app is down until a deploy or rollback")]
    private static partial void LogNoHealthySlot(ILogger logger, string app, string slot);

    [LoggerMessage(Level = LogLevel.Error, Message = "The recorded traffic routes could not be restored: {Reason}")]
    private static partial void LogRestoreFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{App}: reconciliation failed: {Reason}")]
    private static partial void LogReconcileFailed(ILogger logger, string app, string reason);
}
