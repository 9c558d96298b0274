using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Deployments;

/// <summary>The steps deploys and rollbacks share once traffic is involved: switch, verify, switch back, keep the standby.</summary>
public sealed class TrafficSteps(ITrafficRouter router, TrafficVerifier verifier, IContainerRuntime containers, StandbyStore standbys, TimeProvider time)
{
    public Task SwitchAsync(StepRecorder steps, string app, Slot target, CancellationToken cancellationToken) =>
        steps.RunAsync(DeploymentStep.Switch, $"sending {app}'s traffic to slot {target.Name()}", async _ =>
        {
            await router.SwitchAsync(app, target, cancellationToken);
            return $"nginx now sends {app} to slot {target.Name()}";
        }, cancellationToken);

    public Task VerifyAsync(StepRecorder steps, string app, AppOptions options, Slot target, CancellationToken cancellationToken) =>
        steps.RunAsync(
            DeploymentStep.Verify,
            options.Verify.Url.Length == 0 ? "no Verify:Url configured" : $"checking {options.Verify.Url} through nginx",
            async details =>
            {
                var result = await verifier.VerifyAsync(app, options.Verify, target, cancellationToken);
                return result.Passed ? result.Message : throw new StepFailedException(DeploymentStep.Verify, result.Message);
            },
            cancellationToken);

    /// <summary>Returns traffic to the slot that served before; true when it worked.</summary>
    public async Task<bool> SwitchBackAsync(StepRecorder steps, string app, AppOptions options, Slot previous, CancellationToken cancellationToken)
    {
        try
        {
            await steps.RunAsync(DeploymentStep.SwitchBack, $"sending {app}'s traffic back to slot {previous.Name()}", async _ =>
            {
                await router.SwitchAsync(app, previous, cancellationToken);
                var routed = await verifier.WaitUntilRoutedAsync(app, options.Verify, previous, cancellationToken);
                return routed.Passed
                    ? $"traffic is back on slot {previous.Name()} ({routed.Message})"
                    : throw new StepFailedException(
                        DeploymentStep.SwitchBack,
                        $"nginx was switched back to slot {previous.Name()} but does not route there yet: {routed.Message}");
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

            var until = time.GetUtcNow() + options.KeepStandbyFor;
            await standbys.SetAsync(new StandbyLease(app, previous, until), cancellationToken);
            return $"slot {previous.Name()} stays running as hot standby until {until:yyyy-MM-ddTHH:mm:ssZ}";
        }, cancellationToken);

    /// <summary>A container that served traffic gets time to finish its requests.</summary>
    public static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(10);

    /// <summary>Stops (but keeps, for its logs) the container in a slot that must not serve.</summary>
    public async Task StopSlotAsync(string app, Slot slot, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (await containers.FindSlotContainerAsync(app, slot, cancellationToken) is { } container)
        {
            await containers.StopAsync(container.Id, grace, cancellationToken);
        }
    }
}
