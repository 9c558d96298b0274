using Mizan.Agent.V1;

namespace Mizan.Control.Output;

public sealed class TextDeploymentOutput(TextWriter output, DeploymentTextRenderer renderer) : IDeploymentOutput
{
    public async Task OnEventAsync(DeploymentEvent deploymentEvent, CancellationToken cancellationToken)
    {
        await output.WriteLineAndFlushAsync(renderer.FormatEvent(deploymentEvent), cancellationToken);
    }

    public async Task OnResultAsync(Deployment result, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(ReadOnlyMemory<char>.Empty, cancellationToken);
        await output.WriteLineAndFlushAsync(DeploymentTextRenderer.FormatResult(result), cancellationToken);
    }

    // The explanation goes to stderr (see DeploymentStreamFollower); stdout keeps only the agent's events.
    public Task OnDetachedAsync(string? deploymentId, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
