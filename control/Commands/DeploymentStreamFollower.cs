using Grpc.Core;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

/// <summary>Follows a Deploy, Rollback or WatchDeployment stream to its result (shared by the three verbs).</summary>
public static class DeploymentStreamFollower
{
    public static async Task<int> FollowAsync(
        AgentInvocation invocation,
        string app,
        Func<CancellationToken, AsyncServerStreamingCall<DeploymentEvent>> start,
        CancellationToken cancellationToken)
    {
        var output = CreateOutput(invocation, app);
        string? deploymentId = null;
        Deployment? result = null;
        string? detachedReason = null;
        using var call = start(cancellationToken);
        try
        {
            await foreach (var deploymentEvent in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                if (deploymentId is null && deploymentEvent.DeploymentId.Length > 0)
                {
                    deploymentId = deploymentEvent.DeploymentId;
                }

                await output.OnEventAsync(deploymentEvent, cancellationToken);
                result = deploymentEvent.Result ?? result;
            }
        }
        // Before the first event the RPC itself failed (bad app, busy, unreachable): CommandRunner maps it.
        catch (RpcException exception) when (deploymentId is not null || result is not null)
        {
            detachedReason = exception.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested
                ? "interrupted"
                : $"the connection to the agent was lost: {exception.Status.Detail} ({exception.StatusCode})";
        }
        catch (OperationCanceledException) when (deploymentId is not null && cancellationToken.IsCancellationRequested)
        {
            detachedReason = "interrupted";
        }

        if (result is null)
        {
            detachedReason ??= "the agent closed the stream before sending the result";
            return await DetachAsync(invocation, output, deploymentId, detachedReason, cancellationToken);
        }

        await output.OnResultAsync(result, cancellationToken);
        if (result.State != DeploymentState.Succeeded)
        {
            var message = result.Message.Length > 0 ? $" {result.Message}" : "";
            await invocation.Error.WriteLineAndFlushAsync(
                $"mizanctl {invocation.Verb}: {DeploymentTextRenderer.Headline(result)}{message}\nhint: the step output above shows what failed; `mizanctl status --app {result.App}` shows what is live.",
                cancellationToken);
        }

        return ExitCodes.ForDeploymentState(result.State);
    }

    private static async Task<int> DetachAsync(
        AgentInvocation invocation,
        IDeploymentOutput output,
        string? deploymentId,
        string reason,
        CancellationToken cancellationToken)
    {
        // Reported even when Ctrl+C cancelled the token: the caller must learn how to re-attach.
        await output.OnDetachedAsync(deploymentId, reason, CancellationToken.None);
        var reattach = deploymentId is null
            ? "no deployment id was received; `mizanctl status` shows whether one is running."
            : $"deployment {deploymentId} continues on the agent; re-attach with `mizanctl watch {deploymentId}`.";
        await invocation.Error.WriteLineAndFlushAsync(
            $"mizanctl {invocation.Verb}: the stream ended before the result: {reason}.\nhint: {reattach}",
            CancellationToken.None);
        return cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.AgentUnreachable;
    }

    private static IDeploymentOutput CreateOutput(AgentInvocation invocation, string app)
    {
        var outputs = new List<IDeploymentOutput>
        {
            invocation.Format == OutputFormat.Json
                ? new JsonDeploymentOutput(invocation.Output)
                : new TextDeploymentOutput(invocation.Output, invocation.Renderer),
        };
        if (invocation.GitHub is not null)
        {
            outputs.Add(new GitHubActionsDeploymentOutput(invocation.GitHub, invocation.Verb, app));
        }

        return new CompositeDeploymentOutput(outputs);
    }
}
