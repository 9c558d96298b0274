using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>Under GitHub Actions: annotations, step summary and step outputs for a deployment stream.</summary>
public sealed class GitHubActionsDeploymentOutput(GitHubActionsWriter writer, string verb, string app) : IDeploymentOutput
{
    private readonly List<DeploymentEvent> events = [];

    public Task OnEventAsync(DeploymentEvent deploymentEvent, CancellationToken cancellationToken)
    {
        events.Add(deploymentEvent);
        return Task.CompletedTask;
    }

    public async Task OnResultAsync(Deployment result, CancellationToken cancellationToken)
    {
        var appName = result.App.Length > 0 ? result.App : app;
        var title = $"mizanctl {verb} {appName}: {DisplayNames.Of(result.State)}";
        switch (result.State)
        {
            case DeploymentState.Succeeded:
                break;
            case DeploymentState.RolledBack:
                await writer.WarningAsync(title, Describe(result), cancellationToken);
                break;
            default:
                await writer.ErrorAsync(title, Describe(result), cancellationToken);
                break;
        }

        await writer.AppendStepSummaryAsync(GitHubStepSummary.Build(title, events, result, null), cancellationToken);
        await writer.AppendOutputsAsync(Outputs(result), cancellationToken);
    }

    public async Task OnDetachedAsync(string? deploymentId, string reason, CancellationToken cancellationToken)
    {
        var title = $"mizanctl {verb} {app}: result unknown";
        var reattach = deploymentId is null ? "" : $" The deployment continues on the agent: mizanctl watch {deploymentId}";
        await writer.ErrorAsync(title, reason + "." + reattach, cancellationToken);
        await writer.AppendStepSummaryAsync(GitHubStepSummary.Build(title, events, null, reason), cancellationToken);
        if (deploymentId is not null)
        {
            await writer.AppendOutputsAsync([new("deployment-id", deploymentId)], cancellationToken);
        }
    }

    public static IEnumerable<KeyValuePair<string, string>> Outputs(Deployment result) =>
    [
        new("deployment-id", result.Id),
        // The deployment only names the image it tried; after a failure the live image is whatever ran before.
        new("live-image", result.State == DeploymentState.Succeeded ? result.Image : ""),
        new("live-slot", DeploymentTextRenderer.LiveSlot(result)),
        new("state", DisplayNames.Token(result.State)),
    ];

    private static string Describe(Deployment result) =>
        result.Message.Length > 0
            ? $"{DeploymentTextRenderer.Headline(result)} {result.Message}"
            : DeploymentTextRenderer.Headline(result);
}
