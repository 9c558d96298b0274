using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class WorkflowCommandFenceTests
{
    private const string Hostile = "GET /health 200\n::set-output name=x::y\n  ::add-mask::s3cr3t\n##[set-output name=z;]w\n::stop-commands::guess\n::guess::";

    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();

    [Fact]
    public async Task WriteLineAsync_NotUnderGitHubActions_WritesTheTextAsIsAndARunnerWouldActOnIt()
    {
        var fence = WorkflowCommandFence.None(stdout);

        await fence.WriteLineAsync(Hostile, CancellationToken.None);
        await fence.CloseAsync();

        Assert.Equal(Hostile + "\n", stdout.ToString());
        Assert.Null(fence.Token);
        Assert.Equal(["set-output", "add-mask", "set-output"], WorkflowCommandReader.Read(stdout.ToString()).Acted);
    }

    [Fact]
    public async Task WriteLineAsync_HostileLinesOnStdout_AreFencedUntilClosed()
    {
        var fence = WorkflowCommandFence.ForStdout(stdout);

        await fence.WriteLineAsync(Hostile, CancellationToken.None);
        await fence.WriteLineAsync("::error::forged", CancellationToken.None);
        var whileOpen = WorkflowCommandReader.Read(stdout.ToString());
        await fence.CloseAsync();

        Assert.Empty(whileOpen.Acted);
        Assert.True(whileOpen.StoppedAtEnd);
        var lines = stdout.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal($"::stop-commands::{fence.Token}", lines[0]);
        Assert.Equal($"::{fence.Token}::", lines[^1]);
        Assert.Equal(1, lines.Count(line => line == $"::stop-commands::{fence.Token}"));
        AssertNothingActs(stdout);
    }

    [Fact]
    public async Task WriteLineAsync_OnStderr_FencesEveryMessageOnItsOwn()
    {
        var fence = WorkflowCommandFence.ForStderr(stderr);

        await fence.WriteLineAsync(Hostile, CancellationToken.None);
        AssertNothingActs(stderr);
        await fence.WriteLineAsync("::add-mask::again", CancellationToken.None);

        AssertNothingActs(stderr);
        Assert.Equal(2, stderr.ToString().Split('\n').Count(line => line == $"::{fence.Token}::"));
    }

    [Fact]
    public async Task CloseAsync_NothingWritten_WritesNothing()
    {
        var fence = WorkflowCommandFence.ForStdout(stdout);

        await fence.CloseAsync();
        await fence.CloseAsync();

        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void Token_Is32HexDigitsDrawnAnewForEveryFence()
    {
        var tokens = Enumerable.Range(0, 20).Select(_ => WorkflowCommandFence.ForStdout(stdout).Token!).ToList();

        Assert.All(tokens, token => Assert.Matches("^[0-9a-f]{32}$", token));
        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.NotEqual(WorkflowCommandFence.ForStdout(stdout).Token, WorkflowCommandFence.ForStderr(stderr).Token);
    }

    private static void AssertNothingActs(StringWriter writer)
    {
        var (acted, stoppedAtEnd) = WorkflowCommandReader.Read(writer.ToString());
        Assert.Empty(acted);
        Assert.False(stoppedAtEnd, "commands are still stopped at the end");
    }
}
