using Mizan.Agent.V1;

namespace Mizan.Control.Output;

public sealed class JsonDeploymentOutput(TextWriter output) : IDeploymentOutput
{
    public async Task OnEventAsync(DeploymentEvent deploymentEvent, CancellationToken cancellationToken)
    {
        await output.WriteLineAndFlushAsync(JsonOutput.Format(deploymentEvent), cancellationToken);
    }

    public async Task OnResultAsync(Deployment result, CancellationToken cancellationToken)
    {
        await output.WriteLineAndFlushAsync(JsonOutput.Format(result), cancellationToken);
    }

    public Task OnDetachedAsync(string? deploymentId, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
