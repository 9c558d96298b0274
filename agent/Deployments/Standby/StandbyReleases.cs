using Mizan.Agent.Apps;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Deployments.Standby;

/// <summary>
/// Which standby is worth sending traffic back to, for a rollback and for auto-heal alike: only a release that went
/// live and passed its verify. A standby slot may instead hold a build that failed its check, or one left
/// half-deployed when the agent died.
/// </summary>
public sealed class StandbyReleases(DeploymentStore store)
{
    public async Task<bool> ServedSuccessfullyAsync(SlotContainer standby, CancellationToken cancellationToken)
    {
        if (OperationId.KindOf(standby.DeploymentId) == OperationKind.Primitive)
        {
            // Started by a pipeline's own primitive steps: the pipeline vouched for it.
            return true;
        }

        var deployment = await store.GetAsync(standby.DeploymentId, cancellationToken);
        return deployment?.State == DeploymentState.Succeeded;
    }
}
