using System.CommandLine;
using Grpc.Core;
using Mizan.Control.Commands;

namespace Mizan.Control.Tests.Commands;

public class CommandRunnerTests
{
    private const string Hostile = "::set-output name=state::succeeded\n::add-mask::s3cr3t";

    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    private async Task<int> RunUnderGitHubActionsAsync(Func<AgentInvocation, CancellationToken, Task<int>> body)
    {
        var globalOptions = new GlobalOptions();
        var runner = new CommandRunner(globalOptions, name => name == "GITHUB_ACTIONS" ? "true" : null);
        var probe = new Command("probe");
        runner.SetAction(probe, (_, invocation, cancellationToken) => body(invocation, cancellationToken));
        var root = new RootCommand { probe };
        foreach (var option in globalOptions.All)
        {
            root.Options.Add(option);
        }

        return await root.Parse(["--agent", "unix:///tmp/mizanctl-tests-no-agent.sock", "probe"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    [Fact]
    public async Task RunAsync_AgentRefusalAfterFencedText_FencesTheRefusalAndOnlyTheAnnotationActs()
    {
        var exitCode = await RunUnderGitHubActionsAsync(async (invocation, cancellationToken) =>
        {
            await invocation.OutputFence.WriteLineAsync(Hostile, cancellationToken);
            throw new RpcException(new Status(StatusCode.FailedPrecondition, Hostile));
        });

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("::add-mask::s3cr3t", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(["error"], WorkflowCommandReader.Read(output.ToString()).Acted);
        Assert.False(WorkflowCommandReader.Read(output.ToString()).StoppedAtEnd);
        Assert.Empty(WorkflowCommandReader.Read(error.ToString()).Acted);
        Assert.False(WorkflowCommandReader.Read(error.ToString()).StoppedAtEnd);
    }

    [Fact]
    public async Task RunAsync_UnexpectedFailureAfterFencedText_StillClosesTheFence()
    {
        await RunUnderGitHubActionsAsync(async (invocation, cancellationToken) =>
        {
            await invocation.OutputFence.WriteLineAsync(Hostile, cancellationToken);
            throw new InvalidOperationException("unexpected");
        });

        var (acted, stoppedAtEnd) = WorkflowCommandReader.Read(output.ToString());
        Assert.Empty(acted);
        Assert.False(stoppedAtEnd, $"the fence was left open:\n{output}");
        Assert.Contains("::add-mask::s3cr3t", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TwoRuns_FenceWithDifferentTokens()
    {
        var tokens = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            await RunUnderGitHubActionsAsync((invocation, _) =>
            {
                tokens.Add(invocation.OutputFence.Token!);
                tokens.Add(invocation.ErrorFence.Token!);
                return Task.FromResult(ExitCodes.Success);
            });
        }

        Assert.Equal(4, tokens.Distinct(StringComparer.Ordinal).Count());
    }
}
