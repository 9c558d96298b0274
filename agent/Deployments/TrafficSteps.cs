using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Deployments;

/// <summary>
/// The journal steps deploys and rollbacks share once traffic is involved: switch, verify, switch back, keep the
/// standby. Each is a part of the one <see cref="TrafficMove"/>, recorded as a step.
/// </summary>
public sealed class TrafficSteps(TrafficMove move, IContainerRuntime containers, StandbyStore standbys)
{
    /// <param name="checkedBy">The run whose check step passed the target.</param>
    public Task SwitchAsync(StepRecorder steps, string app, Slot target, string checkedBy, CancellationToken cancellationToken) =>
        steps.RunAsync(DeploymentStep.Switch, $"sending {app}'s traffic to slot {target.Name()}", async _ =>
        {
            await move.RouteAsync(app, target, checkedBy, cancellationToken);
            return $"nginx now sends {app} to slot {target.Name()}";
        }, cancellationToken);

    public Task VerifyAsync(StepRecorder steps, string app, AppOptions options, Slot target, CancellationToken cancellationToken) =>
        steps.RunAsync(
            DeploymentStep.Verify,
            options.Verify.Url.Length == 0 ? "no Verify:Url configured" : $"checking {options.Verify.Url} through nginx",
            async details =>
            {
                var result = await move.VerifyAsync(app, target, cancellationToken);
                return result.Passed ? result.Message : throw new StepFailedException(DeploymentStep.Verify, result.Message);
            },
            cancellationToken);

    /// <summary>Returns traffic to the slot that served before; true when it worked.</summary>
    public async Task<bool> SwitchBackAsync(StepRecorder steps, string app, Slot previous, CancellationToken cancellationToken)
    {
        try
        {
            await steps.RunAsync(DeploymentStep.SwitchBack, $"sending {app}'s traffic back to slot {previous.Name()}", async _ =>
            {
                var moved = await move.MoveAsync(app, previous, checkedBy: null, keepLeft: false, cancellationToken);
                return moved.Routed.Passed
                    ? $"traffic is back on slot {previous.Name()} ({moved.Routed.Message})"
                    : throw new StepFailedException(
                        DeploymentStep.SwitchBack,
                        $"nginx was switched back to slot {previous.Name()} but does not route there yet: {moved.Routed.Message}");
            }, cancellationToken);
            return true;
        }
        catch (StepFailedException)
        {
            return false;
        }
    }

    /// <summary>The slot that just left service keeps running for KeepStandbyFor, so a rollback is instant.</summary>
    public Task KeepStandbyAsync(StepRecorder steps, string app, AppOptions options, Slot previous, CancellationToken cancellationToken) =>
        steps.RunAsync(DeploymentStep.Standby, $"keeping slot {previous.Name()} as hot standby", async _ =>
        {
            if (options.KeepStandbyFor == TimeSpan.Zero)
            {
                await StopSlotAsync(app, previous, GracefulStop, cancellationToken);
                return $"KeepStandbyFor is 0: slot {previous.Name()} stopped";
            }

            var until = await move.LeaseStandbyAsync(app, previous, cancellationToken);
            return $"slot {previous.Name()} stays running as hot standby until {until:yyyy-MM-ddTHH:mm:ssZ}";
        }, cancellationToken);

    /// <summary>
    /// Before a new container goes into <paramref name="slot"/>: the standby it replaces neither backs a rollback nor
    /// stands behind the live slot at nginx any more.
    /// </summary>
    public async Task VacateAsync(string app, Slot slot, CancellationToken cancellationToken)
    {
        await move.WithdrawBackupAsync(app, slot, cancellationToken);
        await standbys.ClearAsync(app, cancellationToken);
    }

    /// <summary>A container that served traffic gets time to finish its requests.</summary>
    public static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(10);

    /// <summary>Stops (but keeps, for its logs) the container in a slot that must not serve; nginx stops failing over to it first.</summary>
    public async Task StopSlotAsync(string app, Slot slot, TimeSpan grace, CancellationToken cancellationToken)
    {
        await move.WithdrawBackupAsync(app, slot, cancellationToken);
        if (await containers.FindSlotContainerAsync(app, slot, cancellationToken) is { } container)
        {
            await containers.StopAsync(container.Id, grace, cancellationToken);
        }
    }
}
