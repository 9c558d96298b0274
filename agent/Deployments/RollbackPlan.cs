using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Deployments;

/// <summary>
/// What a rollback will put live, chosen before the rollback exists: the standby container when it holds a release
/// that served, otherwise the newest earlier release in the history; neither when there is nothing to return to.
/// </summary>
public sealed record RollbackPlan(SlotContainer? Standby, DeploymentRecord? Previous)
{
    /// <summary>
    /// Refuses a release the app's image policy no longer allows: the configuration may have narrowed since it was
    /// deployed, and a rollback must not bring back what a deploy would refuse. It runs by digest, so DigestsOnly is met.
    /// </summary>
    public void RequireAllowed(string app, AppOptions options, Slot live)
    {
        var (image, source) = Standby is { } standby
            ? (standby.Image, $"the standby in slot {live.Other().Name()}")
            : Previous is { } previous
                ? (previous.Image, $"the previous release (deployment {previous.Id})")
                : (null, "");
        if (image is null)
        {
            return;
        }

        var refusal = ImageReference.TryParse(image, out var reference, out var error)
            ? AppImageResolver.RepositoryRefusal(app, options, reference)
            : $"is not a well-formed image reference ({error})";
        if (refusal is not null)
        {
            throw new PermissionDeniedException(
                $"rollback of {app} refused: {source} is {image}, which {refusal}; nothing changed, traffic stays on slot {live.Name()}. " +
                    $"Deploy an allowed image instead, or add its repository to Apps:{app}:ImagePolicy:AllowedRepositories and restart the agent");
        }
    }
}
