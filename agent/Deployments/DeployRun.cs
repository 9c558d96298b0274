using Mizan.Agent.Apps;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Deployments;

/// <summary>
/// One blue-green deploy, step by step: pull, start in the standby slot, check, switch, verify, keep the old slot.
/// A failure before the switch leaves live traffic untouched; a failure after it switches back.
/// </summary>
public sealed partial class DeployRun(
    AppCatalog apps,
    IContainerRuntime containers,
    SlotOperations slots,
    ITrafficRouter router,
    TrafficSteps traffic,
    DeploymentJournal journal,
    TimeProvider time,
    ILogger<DeployRun> logger)
{
    public async Task ExecuteAsync(DeploymentRecord record, ImageReference image, CancellationToken cancellationToken)
    {
        var app = record.App;
        var options = apps.Get(app);
        var steps = new StepRecorder(journal, time, record.Id);
        Slot? live = null;
        var target = Slot.Blue;
        var trafficMoved = false;
        // Every line logged during this deploy, by any component, carries its id (see Hosting/Logging/AgentLogging).
        using var deploymentScope = logger.BeginScope(new Dictionary<string, object> { ["DeploymentId"] = record.Id });
        LogStarted(logger, app, record.Id, image.ToString(), record.Requester);
        try
        {
            await steps.RunAsync(
                DeploymentStep.Validate,
                $"deploy of {image} requested by {record.Requester}",
                _ => Task.FromResult($"{app} is declared, {image} is in its repository, deploy lock taken"),
                cancellationToken);

            live = await router.GetLiveSlotAsync(app, cancellationToken);
            target = live?.Other() ?? Slot.Blue;
            var pulled = await steps.RunAsync(DeploymentStep.Pull, $"pulling {image}", async details =>
            {
                var result = await containers.PullAsync(image, cancellationToken);
                details["digest"] = result.Digest;
                return (result, $"pulled {image} ({result.Digest})");
            }, cancellationToken);

            // The client's commit and commit time win; without them the image's OCI labels give the change lead time.
            var provenance = ImageProvenance.From(pulled.Labels, time.GetUtcNow());
            record = await journal.UpdateAsync(
                record with
                {
                    Digest = pulled.Digest,
                    CommitSha = record.CommitSha ?? provenance.Revision,
                    CommitTime = record.CommitTime ?? provenance.Created,
                    FromSlot = live?.Name(),
                    ToSlot = target.Name(),
                },
                cancellationToken);

            var started = await steps.RunAsync(
                DeploymentStep.Start,
                $"starting {image} in slot {target.Name()} (port {AppCatalog.PortOf(options, target)})",
                async details =>
                {
                    await traffic.VacateAsync(app, target, cancellationToken);
                    var started = await slots.StartAsync(app, options, target, pulled, record.Id, cancellationToken);
                    details["slot"] = target.Name();
                    details["container_id"] = started.Container.Id;
                    return (started, $"container {started.Container.Id[..12]} running in slot {target.Name()}");
                },
                cancellationToken);

            await steps.RunAsync(
                DeploymentStep.Check,
                $"waiting for {options.Health.Path} on port {AppCatalog.PortOf(options, target)} ({options.Health.SuccessesNeeded} successes needed)",
                async details =>
                {
                    var health = await slots.WaitHealthyAsync(options, target, started.Container.Id, cancellationToken);

                    // The old container's removal ran while the app came up; the switch finds the slot as it will stay.
                    await started.Settled;
                    return SlotOperations.RequireHealthy(health, details);
                },
                cancellationToken);

            await traffic.SwitchAsync(steps, app, target, record.Id, cancellationToken);
            trafficMoved = true;
            await traffic.VerifyAsync(steps, app, options, target, cancellationToken);

            if (live is { } previous)
            {
                await traffic.KeepStandbyAsync(steps, app, options, previous, cancellationToken);
            }
            else
            {
                await steps.SkipAsync(DeploymentStep.Standby, "first deploy: no previous slot to keep", cancellationToken);
            }

            await journal.FinishAsync(record.Id, DeploymentState.Succeeded, $"{image} is live in slot {target.Name()}", CancellationToken.None);
            LogFinished(logger, app, record.Id, DeploymentState.Succeeded.ToString(), target.Name());
        }
        catch (StepFailedException failure)
        {
            await FailAsync(steps, record, failure, live, target, trafficMoved);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await journal.FinishAsync(
                record.Id,
                DeploymentState.Interrupted,
                "the agent stopped during the deploy; it reconciles live traffic when it starts again",
                CancellationToken.None);
        }
    }

    private async Task FailAsync(StepRecorder steps, DeploymentRecord record, StepFailedException failure, Slot? live, Slot target, bool trafficMoved)
    {
        var app = record.App;
        var cleanup = CancellationToken.None;
        string message;
        DeploymentState state;
        if (!trafficMoved)
        {
            await StopQuietlyAsync(app, target, failure.Step >= DeploymentStep.Start, TimeSpan.Zero);
            state = DeploymentState.Failed;
            message = $"{failure.Step.ToString().ToLowerInvariant()} failed: {failure.Message}; " +
                $"live traffic untouched{(live is { } slot ? $" (still slot {slot.Name()})" : "")}";
        }
        else if (live is { } previous)
        {
            var back = await traffic.SwitchBackAsync(steps, app, previous, cleanup);
            if (back)
            {
                // It took traffic for a moment: let in-flight requests end, but do not keep the deploy waiting long.
                await StopQuietlyAsync(app, target, true, TimeSpan.FromSeconds(2));
            }

            state = DeploymentStateRules.OutcomeOfFailure(failure.Step, trafficMoved, back);
            message = back
                ? $"{failure.Step.ToString().ToLowerInvariant()} failed after the switch: {failure.Message}; " +
                    $"rolled back: traffic switched back to slot {previous.Name()}"
                : $"{failure.Step.ToString().ToLowerInvariant()} failed after the switch: {failure.Message}; " +
                    $"switching back to slot {previous.Name()} FAILED too, traffic is on slot {target.Name()}: act now (mizanctl rollback --app {app})";
        }
        else
        {
            state = DeploymentState.Failed;
            message = $"{failure.Step.ToString().ToLowerInvariant()} failed after the switch: {failure.Message}; " +
                $"this was the first deploy, so there is no previous slot to return to and slot {target.Name()} stays live";
        }

        await journal.FinishAsync(record.Id, state, message, cleanup);
        LogFailed(logger, app, record.Id, state.ToString(), message);
    }

    private async Task StopQuietlyAsync(string app, Slot slot, bool started, TimeSpan grace)
    {
        if (!started)
        {
            return;
        }

        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await traffic.StopSlotAsync(app, slot, grace, deadline.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogStopFailed(logger, app, slot.Name(), ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deploy {DeploymentId} of {App}: {Image} requested by {RequestedBy}")]
    private static partial void LogStarted(ILogger logger, string app, string deploymentId, string image, string requestedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deploy {DeploymentId} of {App} ended {State}: live slot {Slot}")]
    private static partial void LogFinished(ILogger logger, string app, string deploymentId, string state, string slot);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deploy {DeploymentId} of {App} ended {State}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string app, string deploymentId, string state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not stop slot {Slot} of {App}: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string app, string slot, string reason);
}
