using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Probes;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>
/// Per app: the live slot probed on its own port (what auto-heal follows), the live slot through nginx, and the
/// standby slot. An app never switched live has no live slot: that is reported as such, not as a failure.
/// </summary>
public sealed class AppChecks(
    AppCatalog apps,
    ITrafficRouter router,
    SlotOperations slots,
    IContainerRuntime containers,
    HttpProbe probe,
    StandbyStore standbys,
    TimeProvider time)
{
    public const string NeverLive = "no live slot: the app was never switched live";

    /// <summary>Plans the app's three checks; reads which slot is live once, so all three judge the same slot.</summary>
    public async Task<(Slot? Live, IReadOnlyList<PlannedCheck> Checks)> PlanAsync(string app, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        Slot? live;
        try
        {
            live = await router.GetLiveSlotAsync(app, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var failed = CheckOutcome.Failing($"the upstream file {options.Upstream.File} cannot be read: {ex.Message}");
            return (null, [new PlannedCheck(CheckNames.Live(app), app, _ => Task.FromResult(failed))]);
        }

        if (live is not { } slot)
        {
            var never = CheckOutcome.Ok(NeverLive);
            return (null,
            [
                new PlannedCheck(CheckNames.Live(app), app, _ => Task.FromResult(never)),
                new PlannedCheck(CheckNames.LiveViaNginx(app), app, _ => Task.FromResult(never)),
                new PlannedCheck(CheckNames.Standby(app), app, _ => Task.FromResult(CheckOutcome.Ok("no standby: the app was never switched live"))),
            ]);
        }

        return (slot,
        [
            new PlannedCheck(CheckNames.Live(app), app, token => LiveAsync(app, options, slot, token)),
            new PlannedCheck(CheckNames.LiveViaNginx(app), app, token => ThroughNginxAsync(app, options, slot, token)),
            new PlannedCheck(CheckNames.Standby(app), app, token => StandbyAsync(app, options, slot.Other(), token)),
        ]);
    }

    private async Task<CheckOutcome> LiveAsync(string app, AppOptions options, Slot live, CancellationToken cancellationToken)
    {
        try
        {
            var health = await slots.ProbeAsync(app, options, live, cancellationToken, countRestartsAsFailure: false);
            return health.Healthy
                ? CheckOutcome.Ok($"slot {live.Name()}: {health.Message}")
                : CheckOutcome.Failing($"slot {live.Name()}: {health.Message}");
        }
        catch (DependencyUnavailableException ex)
        {
            return CheckOutcome.Failing($"slot {live.Name()}: {ex.Message}");
        }
    }

    private async Task<CheckOutcome> ThroughNginxAsync(string app, AppOptions options, Slot live, CancellationToken cancellationToken)
    {
        if (options.Verify.Url.Length == 0)
        {
            return CheckOutcome.Ok("not probed through nginx: no Verify:Url configured");
        }

        var url = new Uri(options.Verify.Url);
        var answer = await probe.GetAsync(url, options.Health.Timeout, cancellationToken);
        if (!answer.Success)
        {
            return CheckOutcome.Failing($"{url}: {answer.Describe()}");
        }

        // nginx names the upstream that answered (X-Mizan-Upstream); without the header the answer is taken as the live slot's.
        // A slot given a share by a weight answers some requests by design.
        var attribution = await router.GetAttributionAsync(app, cancellationToken);
        var shared = await router.GetRouteAsync(app, cancellationToken) is { OtherPercent: > 0 } route ? route.Other : (Slot?)null;
        return attribution.IsFrom(answer.ServedBy, live) || (shared is { } other && attribution.IsFrom(answer.ServedBy, other))
            ? CheckOutcome.Ok($"{url} answered from slot {live.Name()}")
            : CheckOutcome.Failing(
                $"{url} answered from {answer.ServedBy} ({attribution.SlotOf(answer.ServedBy!)?.Name() ?? "not a slot of this app"}), not from the live slot {live.Name()}");
    }

    private async Task<CheckOutcome> StandbyAsync(string app, AppOptions options, Slot standby, CancellationToken cancellationToken)
    {
        try
        {
            var container = await containers.FindSlotContainerAsync(app, standby, cancellationToken);
            var lease = (await standbys.ListAsync(cancellationToken)).FirstOrDefault(l => l.App == app && l.Slot == standby);
            var kept = lease is not null && lease.Until > time.GetUtcNow();
            if (container is null)
            {
                return kept
                    ? CheckOutcome.Warning($"slot {standby.Name()} should be a hot standby until {lease!.Until:yyyy-MM-ddTHH:mm:ssZ} but has no container")
                    : CheckOutcome.Ok($"no standby: slot {standby.Name()} is empty");
            }

            if (container.State != "running")
            {
                return kept
                    ? CheckOutcome.Warning(
                        $"slot {standby.Name()} should be a hot standby until {lease!.Until:yyyy-MM-ddTHH:mm:ssZ} but its container is {container.State}")
                    : CheckOutcome.Ok($"no hot standby: slot {standby.Name()} ({container.Image}) is {container.State}");
            }

            var health = await slots.ProbeAsync(app, options, standby, cancellationToken, countRestartsAsFailure: false);
            return health.Healthy
                ? CheckOutcome.Ok($"slot {standby.Name()} ({container.Image}): {health.Message}")
                : CheckOutcome.Warning(
                    $"slot {standby.Name()} ({container.Image}) is running but unhealthy: {health.Message}; a failover or rollback could not use it");
        }
        catch (DependencyUnavailableException ex)
        {
            return CheckOutcome.Warning($"slot {standby.Name()}: {ex.Message}");
        }
    }
}
