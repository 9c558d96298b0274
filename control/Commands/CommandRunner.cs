using System.CommandLine;
using Grpc.Core;
using Mizan.Agent.V1;
using Mizan.Control.Connection;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

/// <summary>
/// Runs a verb: resolves the agent address, opens the channel, and turns failures into
/// an exit code plus a message and hint on stderr (and an annotation under GitHub Actions).
/// </summary>
public sealed class CommandRunner(GlobalOptions globalOptions, Func<string, string?> environment)
{
    public GlobalOptions GlobalOptions => globalOptions;

    public Func<string, string?> Environment => environment;

    public void SetAction(Command command, Func<ParseResult, AgentInvocation, CancellationToken, Task<int>> body, Option<string>? appOption = null) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(command.Name, parseResult, body, appOption, cancellationToken));

    private async Task<int> RunAsync(
        string verb,
        ParseResult parseResult,
        Func<ParseResult, AgentInvocation, CancellationToken, Task<int>> body,
        Option<string>? appOption,
        CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var gitHub = GitHubActionsWriter.FromEnvironment(environment, output);
        var errorFence = gitHub is null ? WorkflowCommandFence.None(error) : WorkflowCommandFence.ForStderr(error);
        var app = appOption is null ? null : parseResult.GetValue(appOption);
        AgentAddress? address = null;
        TlsSettings? tls = null;
        try
        {
            address = AgentAddress.Resolve(parseResult.GetValue(globalOptions.Agent), environment);
            tls = TlsSettings.Resolve(
                address,
                parseResult.GetValue(globalOptions.AgentThumbprint),
                parseResult.GetValue(globalOptions.ClientCert),
                parseResult.GetValue(globalOptions.ClientCertPassword),
                environment);
            using var channel = AgentChannelFactory.Create(address, tls);
            var invocation = new AgentInvocation(
                verb,
                new AgentService.AgentServiceClient(channel),
                address,
                globalOptions.GetOutputFormat(parseResult),
                output,
                error,
                gitHub,
                environment,
                new DeploymentTextRenderer(TimeZoneInfo.Local))
            {
                Retry = RetryPolicy.Create(parseResult.GetValue(globalOptions.Retries), error),
                ErrorFence = errorFence,
            };
            return await body(parseResult, invocation, cancellationToken);
        }
        catch (UsageException exception)
        {
            return await FailAsync(verb, ExitCodes.Usage, exception.Message, "see `mizanctl --help`.", errorFence, gitHub);
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested
                                          && exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            var where = app is null ? "" : $" `mizanctl status --app {app}` shows what the agent is doing.";
            return await FailAsync(verb, ExitCodes.Interrupted, "interrupted.", $"anything already started continues on the agent.{where}", errorFence, gitHub);
        }
        catch (RpcException) when (tls?.Pin.Mismatched is not null)
        {
            return await FailAsync(
                verb,
                ExitCodes.AgentUnreachable,
                tls.Pin.DescribeMismatch(),
                "if the agent's certificate was replaced on purpose, read its thumbprint with `mizan-agent cert show` on the server " +
                    "(over a channel you trust) and update --agent-thumbprint / $MIZAN_AGENT_THUMBPRINT; otherwise treat this as an attack.",
                errorFence,
                gitHub);
        }
        catch (RpcException exception)
        {
            var agentError = AgentErrors.Describe(exception, address!, app);
            return await FailAsync(verb, agentError.ExitCode, agentError.Message, agentError.Hint, errorFence, gitHub);
        }
        finally
        {
            // However the verb ended: a fence left open would silence every later workflow command of the job.
            if (gitHub is not null)
            {
                await gitHub.Stdout.CloseAsync();
            }

            tls?.Dispose();
        }
    }

    /// <param name="message">Often the agent's own words (a refusal's detail), hence the fence.</param>
    private static async Task<int> FailAsync(
        string verb,
        int exitCode,
        string message,
        string hint,
        WorkflowCommandFence error,
        GitHubActionsWriter? gitHub)
    {
        // The process is ending with an error: report it even if Ctrl+C cancelled the invocation's token.
        await error.WriteLineAsync($"mizanctl {verb}: {message}\nhint: {hint}", CancellationToken.None);
        if (gitHub is not null)
        {
            await gitHub.ErrorAsync($"mizanctl {verb} failed", $"{message} {hint}", CancellationToken.None);
        }

        return exitCode;
    }
}
