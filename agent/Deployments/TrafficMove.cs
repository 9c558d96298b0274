using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Deployments;

/// <summary>How a move ended: whether nginx sends new requests to the target, and the slot traffic left.</summary>
public sealed record MoveResult(Slot? Left, VerifyResult Routed);

/// <summary>
/// The one way traffic moves, for a deploy, a rollback, the switch primitive, auto-heal and the start-up reconciler:
/// admit the target (<see cref="SlotAdmission"/>), route to it with the slot left behind as nginx's backup while that
/// may take over, confirm that new requests arrive, and lease the slot left as the hot standby.
/// </summary>
public sealed class TrafficMove(
    AppCatalog apps,
    ITrafficRouter router,
    TrafficVerifier verifier,
    SlotAdmission admission,
    StandbyStore standbys,
    TimeProvider time)
{
    /// <summary>Admits <paramref name="target"/>, then sends all of the app's traffic to it; throws, changing nothing, when either fails.</summary>
    /// <param name="checkedBy">The deploy or rollback that started and checked the target's container, if one did.</param>
    /// <exception cref="SlotPreconditionException">The target may not receive traffic.</exception>
    /// <exception cref="TrafficSwitchException">The traffic layer refused the change.</exception>
    public async Task RouteAsync(string app, Slot target, string? checkedBy, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);

        // Two slots, two looks that need nothing of each other: asked together, a rollback waits for one of them.
        var admitting = admission.MayServeAsync(app, options, target, checkedBy, cancellationToken);
        var backingUp = MayStandBehindAsync(app, options, target.Other(), cancellationToken);
        await Task.WhenAll(admitting, backingUp);
        (await admitting).ThrowIfRefused(app, target);
        await router.RouteAsync(app, new TrafficRoute(target, Backup: await backingUp), cancellationToken);
    }

    /// <summary>
    /// Gives the slot that is not live <paramref name="otherPercent"/> % of the app's requests, the live slot the rest: the
    /// slot given a share is admitted as for a switch. Live and standby stay what they were.
    /// </summary>
    public async Task<TrafficRoute> SplitAsync(string app, int otherPercent, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        var route = await router.GetRouteAsync(app, cancellationToken)
            ?? throw new InvalidRequestException($"nothing of '{app}' is live yet, so there is no traffic to split: deploy it first");
        if (otherPercent > 0)
        {
            (await admission.MayServeAsync(app, options, route.Other, checkedBy: null, cancellationToken)).ThrowIfRefused(app, route.Other);
        }

        var next = new TrafficRoute(route.Live, otherPercent, await MayStandBehindAsync(app, options, route.Other, cancellationToken));
        await router.RouteAsync(app, next, cancellationToken);
        return next;
    }

    /// <summary>Until new requests through nginx come from <paramref name="target"/>, whatever it answers.</summary>
    public Task<VerifyResult> ConfirmRoutedAsync(string app, Slot target, CancellationToken cancellationToken) =>
        verifier.WaitUntilRoutedAsync(app, apps.Get(app).Verify, target, cancellationToken);

    /// <summary>Until Verify:SuccessesNeeded answers in a row from <paramref name="target"/> succeed, or as many fail.</summary>
    public Task<VerifyResult> VerifyAsync(string app, Slot target, CancellationToken cancellationToken) =>
        verifier.VerifyAsync(app, apps.Get(app).Verify, target, cancellationToken);

    /// <summary>
    /// The whole move: route, confirm arrival, and, once traffic arrives, lease the slot it left as the hot standby
    /// (<paramref name="keepLeft"/>; auto-heal leaves a failed slot no lease).
    /// </summary>
    public async Task<MoveResult> MoveAsync(string app, Slot target, string? checkedBy, bool keepLeft, CancellationToken cancellationToken)
    {
        var left = await router.GetLiveSlotAsync(app, cancellationToken);
        await RouteAsync(app, target, checkedBy, cancellationToken);
        var routed = await ConfirmRoutedAsync(app, target, cancellationToken);
        if (routed.Passed && keepLeft && left is { } previous && previous != target)
        {
            await LeaseStandbyAsync(app, previous, cancellationToken);
        }

        return new MoveResult(left, routed);
    }

    /// <summary>The slot that just left service keeps running for KeepStandbyFor, so a rollback is instant.</summary>
    public async Task<DateTimeOffset> LeaseStandbyAsync(string app, Slot slot, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + apps.Get(app).KeepStandbyFor;
        await standbys.SetAsync(new StandbyLease(app, slot, until), cancellationToken);
        return until;
    }

    /// <summary>
    /// Before the container in <paramref name="slot"/> is stopped or replaced: nginx must not fail over to it, least of
    /// all to a new build starting there. Costs nothing when the slot is not the backup.
    /// </summary>
    public async Task WithdrawBackupAsync(string app, Slot slot, CancellationToken cancellationToken)
    {
        if (await router.GetRouteAsync(app, cancellationToken) is { Backup: true } route && route.Other == slot)
        {
            await router.RouteAsync(app, route with { Backup = false }, cancellationToken);
        }
    }

    /// <summary>
    /// The standby backs the live slot at nginx only while it is kept (KeepStandbyFor above zero) and the admission rule
    /// would send it traffic (it runs, answers, its image is allowed and its release served successfully): then a dead
    /// live container costs no request, because nginx tries the backup on the same one. A slot that has just failed is no backup.
    /// </summary>
    private async Task<bool> MayStandBehindAsync(string app, AppOptions options, Slot standby, CancellationToken cancellationToken) =>
        options.KeepStandbyFor > TimeSpan.Zero
            && (await admission.MayServeAsync(app, options, standby, checkedBy: null, cancellationToken)).Admitted;
}
