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

    /// <summary>A unary call, retried while the agent cannot be reached.</summary>
    public Task<TResponse> CallAsync<TResponse>(Func<CancellationToken, AsyncUnaryCall<TResponse>> call, CancellationToken cancellationToken) =>
        Retry.ExecuteAsync(
            async ct =>
            {
                using var pending = call(ct);
                return await pending.ResponseAsync;
            },
            cancellationToken);

    /// <summary>Prints a single response: JSON as is, or the given text.</summary>
    public Task WriteAsync(Google.Protobuf.IMessage response, string text, CancellationToken cancellationToken) =>
        Output.WriteLineAndFlushAsync(Format == OutputFormat.Json ? JsonOutput.Format(response) : text, cancellationToken);
}
