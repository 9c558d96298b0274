using Grpc.Core;
using Mizan.Agent.V1;
using Mizan.Control.Connection;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

/// <summary>What a verb needs to call the agent and print the answer.</summary>
public sealed record AgentInvocation(
    string Verb,
    AgentService.AgentServiceClient Client,
    AgentAddress Address,
    OutputFormat Format,
    TextWriter Output,
    TextWriter Error,
    GitHubActionsWriter? GitHub,
    Func<string, string?> Environment,
    DeploymentTextRenderer Renderer)
{
    /// <summary>Retries for calls that did not reach the agent; none unless the runner sets it.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>Agent and app text on stdout: fenced off from the runner's workflow commands under GitHub Actions.</summary>
    public WorkflowCommandFence OutputFence { get; init; } = GitHub?.Stdout ?? WorkflowCommandFence.None(Output);

    /// <summary>Agent and app text on stderr, each message fenced on its own under GitHub Actions.</summary>
    public WorkflowCommandFence ErrorFence { get; init; } = GitHub is null ? WorkflowCommandFence.None(Error) : WorkflowCommandFence.ForStderr(Error);

    /// <summary>A unary call, retried while the agent cannot be reached.</summary>
    public Task<TResponse> CallAsync<TResponse>(Func<CancellationToken, AsyncUnaryCall<TResponse>> call, CancellationToken cancellationToken) =>
        Retry.ExecuteAsync(
            async ct =>
            {
                using var pending = call(ct);
                return await pending.ResponseAsync;
            },
            cancellationToken);

    /// <summary>Prints a single response: JSON as is (one line, which no runner reads as a command), or the given text.</summary>
    public Task WriteAsync(Google.Protobuf.IMessage response, string text, CancellationToken cancellationToken) =>
        Format == OutputFormat.Json
            ? Output.WriteLineAndFlushAsync(JsonOutput.Format(response), cancellationToken)
            : OutputFence.WriteLineAsync(text, cancellationToken);
}
