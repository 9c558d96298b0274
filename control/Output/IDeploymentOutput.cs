using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>Receives a deployment's event stream (deploy, rollback, watch) as it arrives.</summary>
public interface IDeploymentOutput
{
    Task OnEventAsync(DeploymentEvent deploymentEvent, CancellationToken cancellationToken);

    Task OnResultAsync(Deployment result, CancellationToken cancellationToken);

    /// <summary>The stream ended before the result; the deployment (if it started) continues on the agent.</summary>
    Task OnDetachedAsync(string? deploymentId, string reason, CancellationToken cancellationToken);
}
