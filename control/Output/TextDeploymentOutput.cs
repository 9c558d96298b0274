using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <param name="output">stdout; the events and the result carry the agent's messages and the app's log tail.</param>
public sealed class TextDeploymentOutput(WorkflowCommandFence output, DeploymentTextRenderer renderer) : IDeploymentOutput
{
    public Task OnEventAsync(DeploymentEvent deploymentEvent, CancellationToken cancellationToken) =>
        output.WriteLineAsync(renderer.FormatEvent(deploymentEvent), cancellationToken);

    public Task OnResultAsync(Deployment result, CancellationToken cancellationToken) =>
        output.WriteLineAsync("\n" + DeploymentTextRenderer.FormatResult(result), cancellationToken);

    // The explanation goes to stderr (see DeploymentStreamFollower); stdout keeps only the agent's events.
    public Task OnDetachedAsync(string? deploymentId, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
