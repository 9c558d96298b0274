using Grpc.Core;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

/// <summary>Follows a Deploy, Rollback or WatchDeployment stream to its result (shared by the three verbs).</summary>
public static class DeploymentStreamFollower
{
    /// <param name="invocation">The verb's invocation; its <see cref="AgentInvocation.Retry"/> bounds restarts and re-attaches.</param>
    /// <param name="app">The app, for hints and GitHub outputs.</param>
    /// <param name="start">Starts the stream (Deploy, Rollback or WatchDeployment).</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="canRestart">
    /// Whether <paramref name="start"/> may be called again after a failure that came before any deployment id: any
    /// transport failure for a deploy (its idempotency key makes a repeat return the same deployment) and a watch; for
    /// a rollback only when the request certainly never left (a second rollback would flip traffic back). Null: never.
    /// </param>
    /// <param name="reattach">Follows a deployment by id after the stream broke; default WatchDeployment.</param>
    public static async Task<int> FollowAsync(
        AgentInvocation invocation,
        string app,
        Func<CancellationToken, AsyncServerStreamingCall<DeploymentEvent>> start,
        CancellationToken cancellationToken,
        Func<RpcException, bool>? canRestart = null,
        Func<string, CancellationToken, AsyncServerStreamingCall<DeploymentEvent>>? reattach = null)
    {
        reattach ??= (id, ct) => invocation.Client.WatchDeployment(new WatchDeploymentRequest { Id = id }, cancellationToken: ct);
        var output = CreateOutput(invocation, app);
        string? deploymentId = null;
        Deployment? result = null;
        string? detachedReason = null;
        var lastSequence = 0;
        for (var retry = 0; ; retry++)
        {
            // Once the id is known, a broken stream is followed again by id: the deployment is never started twice.
            using var call = deploymentId is null ? start(cancellationToken) : reattach(deploymentId, cancellationToken);
            try
            {
                await foreach (var deploymentEvent in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    if (deploymentId is null && deploymentEvent.DeploymentId.Length > 0)
                    {
                        deploymentId = deploymentEvent.DeploymentId;
                    }

                    // A re-attach replays the deployment from its start: skip what was already printed.
                    if (deploymentEvent.Sequence > 0 && deploymentEvent.Sequence <= lastSequence)
                    {
                        continue;
                    }

                    lastSequence = Math.Max(lastSequence, deploymentEvent.Sequence);
                    await output.OnEventAsync(deploymentEvent, cancellationToken);
                    result = deploymentEvent.Result ?? result;
                }

                break;
            }
            catch (RpcException exception) when (!cancellationToken.IsCancellationRequested
                                                  && retry < invocation.Retry.Retries
                                                  && result is null
                                                  && (deploymentId is not null
                                                      ? RetryPolicy.IsRetryable(exception)
                                                      : canRestart?.Invoke(exception) == true))
            {
                await invocation.Retry.WaitAsync(retry, exception, cancellationToken);
            }
            // Before the first event the RPC itself failed (bad app, busy, unreachable): CommandRunner maps it.
            catch (RpcException exception) when (deploymentId is not null || result is not null)
            {
                detachedReason = exception.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested
                    ? "interrupted"
                    : $"the connection to the agent was lost: {exception.Status.Detail} ({exception.StatusCode})";
                break;
            }
            catch (OperationCanceledException) when (deploymentId is not null && cancellationToken.IsCancellationRequested)
            {
                detachedReason = "interrupted";
                break;
            }
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
            await invocation.ErrorFence.WriteLineAsync(
                $"mizanctl {invocation.Verb}: {DeploymentTextRenderer.Headline(result)}{message}\n" +
                    $"hint: the step output above shows what failed; `mizanctl status --app {result.App}` shows what is live.",
                cancellationToken);
        }

        return ExitCodes.ForDeploymentState(result.State);
    }

    private static async Task<int> DetachAsync(
        AgentInvocation invocation,
        CompositeDeploymentOutput output,
        string? deploymentId,
        string reason,
        CancellationToken cancellationToken)
    {
        // Reported even when Ctrl+C cancelled the token: the caller must learn how to re-attach.
        await output.OnDetachedAsync(deploymentId, reason, CancellationToken.None);
        var reattach = deploymentId is null
            ? "no deployment id was received; `mizanctl status` shows whether one is running."
            : $"deployment {deploymentId} continues on the agent; re-attach with `mizanctl watch {deploymentId}`.";
        await invocation.ErrorFence.WriteLineAsync(
            $"mizanctl {invocation.Verb}: the stream ended before the result: {reason}.\nhint: {reattach}",
            CancellationToken.None);
        return cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.AgentUnreachable;
    }

    private static CompositeDeploymentOutput CreateOutput(AgentInvocation invocation, string app)
    {
        var outputs = new List<IDeploymentOutput>
        {
            invocation.Format == OutputFormat.Json
                ? new JsonDeploymentOutput(invocation.Output)
                : new TextDeploymentOutput(invocation.OutputFence, invocation.Renderer),
        };
        if (invocation.GitHub is not null)
        {
            outputs.Add(new GitHubActionsDeploymentOutput(invocation.GitHub, invocation.Verb, app));
        }

        return new CompositeDeploymentOutput(outputs);
    }
}
