using Mizan.Agent.V1;

namespace Mizan.Control.Output;

public sealed class CompositeDeploymentOutput(IReadOnlyList<IDeploymentOutput> outputs) : IDeploymentOutput
{
    public async Task OnEventAsync(DeploymentEvent deploymentEvent, CancellationToken cancellationToken)
    {
        foreach (var output in outputs)
        {
            await output.OnEventAsync(deploymentEvent, cancellationToken);
        }
    }

    public async Task OnResultAsync(Deployment result, CancellationToken cancellationToken)
    {
        foreach (var output in outputs)
        {
            await output.OnResultAsync(result, cancellationToken);
        }
    }

    public async Task OnDetachedAsync(string? deploymentId, string reason, CancellationToken cancellationToken)
    {
        foreach (var output in outputs)
        {
            await output.OnDetachedAsync(deploymentId, reason, cancellationToken);
        }
    }
}
