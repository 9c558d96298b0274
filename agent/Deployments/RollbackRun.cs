using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Deployments;

/// <summary>
/// Points traffic back at the hot standby. When the standby was stopped it starts it again; when it is gone it
/// starts the previous image from the deployment history. Either way it is checked before traffic moves. What goes
/// live is chosen first (<see cref="PlanAsync"/>), so a release the current image policy refuses changes nothing.
/// </summary>
public sealed partial class RollbackRun(
    AppCatalog apps,
    IContainerRuntime containers,
    SlotOperations slots,
    TrafficSteps traffic,
    DeploymentStore store,
    StandbyReleases standbys,
    DeploymentJournal journal,
    TimeProvider time,
    ILogger<RollbackRun> logger)
{
    /// <summary>Chooses what goes live, read-only; throws when the app's current image policy refuses it.</summary>
    public async Task<RollbackPlan> PlanAsync(string app, Slot live, CancellationToken cancellationToken)
    {
        var findingStandby = containers.FindSlotContainerAsync(app, live.Other(), cancellationToken);
        var findingLive = containers.FindSlotContainerAsync(app, live, cancellationToken);
        await Task.WhenAll(findingStandby, findingLive);
        var standby = await findingStandby;
        var liveContainer = await findingLive;
        var plan = standby is null
            || (liveContainer is not null && standby.Digest == liveContainer.Digest)
            || !await standbys.ServedSuccessfullyAsync(standby, cancellationToken)
                ? new RollbackPlan(null, await PreviousReleaseAsync(app, liveContainer, cancellationToken))
                : new RollbackPlan(standby, null);
        plan.RequireAllowed(app, apps.Get(app), live);
        return plan;
    }

    public async Task ExecuteAsync(DeploymentRecord record, Slot live, RollbackPlan plan, CancellationToken cancellationToken)
    {
        var app = record.App;
        var options = apps.Get(app);
        var steps = new StepRecorder(journal, time, record.Id);
        var target = live.Other();
        var trafficMoved = false;
        using var deploymentScope = logger.BeginScope(new Dictionary<string, object> { ["DeploymentId"] = record.Id });
        LogStarted(logger, app, record.Id, live.Name(), target.Name(), record.Requester);
        try
        {
            await steps.RunAsync(
                DeploymentStep.Validate,
                $"rollback requested by {record.Requester}",
                _ => Task.FromResult($"{app} is live on slot {live.Name()}; rolling back to slot {target.Name()}"),
                cancellationToken);

            var standby = plan.Standby;
            if (standby is null)
            {
                standby = await RestartPreviousImageAsync(steps, record, options, target, plan.Previous, cancellationToken);
            }
            else if (standby.State != "running")
            {
                await steps.RunAsync(DeploymentStep.Start, $"standby slot {target.Name()} is {standby.State}: starting it again", async _ =>
                {
                    await containers.StartExistingAsync(standby.Id, cancellationToken);
                    return $"container {standby.Id[..12]} ({standby.Image}) started again";
                }, cancellationToken);
            }
            else
            {
                await steps.SkipAsync(DeploymentStep.Start, $"standby slot {target.Name()} is running {standby.Image}", cancellationToken);
            }

            record = await journal.UpdateAsync(
                record with { Image = standby.Image, Digest = standby.Digest, FromSlot = live.Name(), ToSlot = target.Name() },
                cancellationToken);

            await steps.RunAsync(DeploymentStep.Check, $"checking standby slot {target.Name()}", async details =>
            {
                // A hot standby answers at once; only a restarted one needs the full health gate.
                var quick = await slots.ProbeAsync(options, standby, cancellationToken);
                var health = quick.Healthy ? quick : await slots.WaitHealthyAsync(options, target, standby.Id, cancellationToken);
                return SlotOperations.RequireHealthy(health, details);
            }, cancellationToken);

            await traffic.SwitchAsync(steps, app, target, record.Id, cancellationToken);
            trafficMoved = true;
            await traffic.VerifyAsync(steps, app, options, target, cancellationToken);
            await traffic.KeepStandbyAsync(steps, app, options, live, cancellationToken);
            await journal.FinishAsync(
                record.Id,
                DeploymentState.Succeeded,
                $"rolled back: {standby.Image} is live in slot {target.Name()}",
                CancellationToken.None);
        }
        catch (StepFailedException failure)
        {
            var step = failure.Step.ToString().ToLowerInvariant();
            if (!trafficMoved)
            {
                await journal.FinishAsync(
                    record.Id,
                    DeploymentState.Failed,
                    $"rollback {step} failed: {failure.Message}; live traffic untouched (still slot {live.Name()})",
                    CancellationToken.None);
                return;
            }

            var back = await traffic.SwitchBackAsync(steps, app, live, CancellationToken.None);
            var state = DeploymentStateRules.OutcomeOfFailure(failure.Step, trafficMoved, back);
            await journal.FinishAsync(
                record.Id,
                state,
                back
                    ? $"rollback {step} failed after the switch: {failure.Message}; traffic switched back to slot {live.Name()}"
                    : $"rollback {step} failed after the switch: {failure.Message}; switching back FAILED, traffic is on slot {target.Name()}",
                CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await journal.FinishAsync(
                record.Id,
                DeploymentState.Interrupted,
                "the agent stopped during the rollback; it reconciles live traffic when it starts again",
                CancellationToken.None);
        }
    }

    private async Task<SlotContainer> RestartPreviousImageAsync(
        StepRecorder steps,
        DeploymentRecord record,
        AppOptions options,
        Slot target,
        DeploymentRecord? previousRelease,
        CancellationToken cancellationToken)
    {
        var previous = previousRelease
            ?? throw new StepFailedException(
                DeploymentStep.Start,
                $"the standby slot {target.Name()} holds no release that served successfully, " +
                    $"and the history has no earlier version of {record.App}; deploy a known-good image instead");
        var image = ImageReference.Parse(previous.Image);
        await traffic.VacateAsync(record.App, target, cancellationToken);
        var pulled = await steps.RunAsync(
            DeploymentStep.Pull,
            $"standby slot {target.Name()} holds no good release: fetching the previous one, {image}",
            async details =>
            {
                var result = await containers.PullAsync(image with { Digest = previous.Digest }, cancellationToken);
                details["digest"] = result.Digest;
                return (result with { Reference = image }, $"have {image} ({result.Digest})");
            },
            cancellationToken);
        return await steps.RunAsync(DeploymentStep.Start, $"starting {image} in slot {target.Name()}", async details =>
        {
            var started = await slots.StartAsync(record.App, options, target, pulled, record.Id, cancellationToken);
            await started.Settled;
            var container = started.Container;
            details["container_id"] = container.Id;
            return (container, $"container {container.Id[..12]} running in slot {target.Name()}");
        }, cancellationToken);
    }

    private async Task<DeploymentRecord?> PreviousReleaseAsync(string app, SlotContainer? liveContainer, CancellationToken cancellationToken)
    {
        var history = await store.ListSucceededAsync(app, 50, cancellationToken);
        return history.FirstOrDefault(d => liveContainer is null || d.Digest != liveContainer.Digest);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollback {DeploymentId} of {App}: slot {FromSlot} to {ToSlot}, requested by {RequestedBy}")]
    private static partial void LogStarted(ILogger logger, string app, string deploymentId, string fromSlot, string toSlot, string requestedBy);
}
