using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Deployments;

/// <summary>
/// The primitive steps for pipelines that drive their own deploy. Each takes the app's lock for its duration,
/// so none can run under a deploy, and none can touch the live slot's container.
/// </summary>
public sealed class SlotCommands(
    AppCatalog apps,
    AppLocks locks,
    IContainerRuntime containers,
    SlotOperations slots,
    ITrafficRouter router,
    TrafficMove move,
    TrafficSteps traffic,
    TimeProvider time)
{
    public async Task<PulledImage> PullAsync(string app, string image, CancellationToken cancellationToken)
    {
        var reference = AppImageResolver.Resolve(app, apps.Get(app), image);
        using var lease = locks.Acquire(app, NewId(), $"pull of {reference}");
        return await containers.PullAsync(reference, cancellationToken);
    }

    public async Task<(Slot Slot, SlotContainer Container)> StartAsync(string app, string image, string? slotName, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        var reference = AppImageResolver.Resolve(app, options, image);
        var requested = string.IsNullOrEmpty(slotName) ? (Slot?)null : AppCatalog.ParseSlot(slotName);
        var id = NewId();
        using var lease = locks.Acquire(app, id, $"start of {reference}");
        var live = await router.GetLiveSlotAsync(app, cancellationToken);
        var slot = requested ?? live?.Other() ?? Slot.Blue;
        if (slot == live)
        {
            throw new SlotPreconditionException(
                SlotPrecondition.IsLive,
                $"slot {slot.Name()} of '{app}' is live; start the new image in the standby slot {slot.Other().Name()} (or leave --slot out)");
        }

        var pulled = await containers.PullAsync(reference, cancellationToken);
        await traffic.VacateAsync(app, slot, cancellationToken);
        var started = await slots.StartAsync(app, options, slot, pulled, id.Value, cancellationToken);
        await started.Settled;
        return (slot, started.Container);
    }

    public async Task<(Slot Slot, HealthGateResult Health)> CheckAsync(string app, string? slotName, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        var slot = await ResolveSlotAsync(app, slotName, cancellationToken);
        var container = await containers.FindSlotContainerAsync(app, slot, cancellationToken)
            ?? throw new SlotPreconditionException(
                SlotPrecondition.HasNoContainer,
                $"slot {slot.Name()} of '{app}' has no container; start one first (mizanctl start)");
        return (slot, await slots.WaitHealthyAsync(options, slot, container.Id, cancellationToken));
    }

    public async Task<(Slot Live, Slot? Previous)> SwitchAsync(string app, string slotName, CancellationToken cancellationToken)
    {
        _ = apps.Get(app);
        var slot = AppCatalog.ParseSlot(slotName);
        using var lease = locks.Acquire(app, NewId(), $"switch to {slot.Name()}");
        MoveResult moved;
        try
        {
            moved = await move.MoveAsync(app, slot, checkedBy: null, keepLeft: true, cancellationToken);
        }
        catch (TrafficSwitchException ex)
        {
            throw new DependencyUnavailableException(ex.Message, ex);
        }

        // Answer only once traffic really goes to the slot, so the pipeline's next step sees the new version.
        return moved.Routed.Passed
            ? (slot, moved.Left)
            : throw new DependencyUnavailableException($"nginx was told to send '{app}' to slot {slot.Name()} but does not yet: {moved.Routed.Message}");
    }

    /// <summary>Sends <paramref name="percent"/> % of the app's requests to <paramref name="slotName"/>, the rest to the other slot.</summary>
    public async Task<(TrafficRoute Route, TrafficMode Mode)> SetWeightAsync(string app, string slotName, int percent, CancellationToken cancellationToken)
    {
        _ = apps.Get(app);
        var slot = AppCatalog.ParseSlot(slotName);
        if (percent is < 0 or > 100)
        {
            throw new InvalidRequestException($"a weight is a percentage, 0-100; {percent} is not");
        }

        using var lease = locks.Acquire(app, NewId(), $"weight {percent} % to {slot.Name()}");
        var live = await router.GetLiveSlotAsync(app, cancellationToken)
            ?? throw new InvalidRequestException($"nothing of '{app}' is live yet, so there is no traffic to split: deploy it first");
        var otherPercent = slot == live ? 100 - percent : percent;
        if (router.RefuseWeight(app, otherPercent) is { } refusal)
        {
            // The router judges the other slot's share; the caller hears about the share it asked for, when that is refused too.
            throw new InvalidRequestException(slot == live ? router.RefuseWeight(app, percent) ?? refusal : refusal);
        }

        try
        {
            return (await move.SplitAsync(app, otherPercent, cancellationToken), router.Mode);
        }
        catch (TrafficSwitchException ex)
        {
            throw new DependencyUnavailableException(ex.Message, ex);
        }
    }

    private async Task<Slot> ResolveSlotAsync(string app, string? slotName, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(slotName))
        {
            return AppCatalog.ParseSlot(slotName);
        }

        var live = await router.GetLiveSlotAsync(app, cancellationToken);
        return live?.Other() ?? Slot.Blue;
    }

    private OperationId NewId() => OperationId.New(OperationKind.Primitive, time);
}
