using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Deployments;

public sealed record Admission(bool Admitted, SlotPrecondition? Refusal, string Reason, SlotContainer? Container)
{
    public void ThrowIfRefused(string app, Slot slot)
    {
        if (!Admitted)
        {
            throw new SlotPreconditionException(Refusal!.Value, $"refusing to send '{app}' traffic to slot {slot.Name()}: {Reason}");
        }
    }
}

/// <summary>
/// The one rule for which slot may receive traffic, whoever moves it (deploy, rollback, the switch primitive,
/// auto-heal, the start-up reconciler): its container runs, holds an image the app's image policy allows now, answers
/// its health check, and holds a release that served successfully before, or the build the running deploy or rollback
/// has just checked itself.
/// </summary>
public sealed class SlotAdmission(IContainerRuntime containers, SlotOperations slots, StandbyReleases releases)
{
    /// <param name="checkedBy">The id of the deploy or rollback that started and checked the slot's container, if one did.</param>
    public async Task<Admission> MayServeAsync(string app, AppOptions options, Slot slot, string? checkedBy, CancellationToken cancellationToken)
    {
        var container = await containers.FindSlotContainerAsync(app, slot, cancellationToken);
        if (container is null)
        {
            return new Admission(false, SlotPrecondition.HasNoContainer, $"slot {slot.Name()} has no container", null);
        }

        if (container.State != "running")
        {
            return new Admission(false, SlotPrecondition.Unhealthy, $"its container ({container.Image}) is {container.State}", container);
        }

        // The policy as configured now: it may have narrowed since this image was deployed, and no move may bring back
        // what a deploy would refuse.
        var refusal = ImageReference.TryParse(container.Image, out var image, out var error)
            ? AppImageResolver.RepositoryRefusal(app, options, image)
            : $"is not a well-formed image reference ({error})";
        if (refusal is not null)
        {
            return new Admission(false, SlotPrecondition.ImageNotAllowed, $"it holds {container.Image}, which {refusal}", container);
        }

        if (container.DeploymentId != checkedBy && !await releases.ServedSuccessfullyAsync(container, cancellationToken))
        {
            return new Admission(
                false,
                SlotPrecondition.NeverServed,
                $"it holds {container.Image}, started by {container.DeploymentId}, which never went live and passed its verify",
                container);
        }

        // A build this run just started must not be restarting; a release that served for a while may have restarted once.
        var health = await slots.ProbeAsync(options, container, cancellationToken, countRestartsAsFailure: container.DeploymentId == checkedBy);
        return health.Healthy
            ? new Admission(true, null, health.Message, container)
            : new Admission(false, SlotPrecondition.Unhealthy, health.Message, container);
    }
}
