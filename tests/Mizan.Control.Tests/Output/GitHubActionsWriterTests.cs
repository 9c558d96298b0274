using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public sealed class GitHubActionsWriterTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizanctl-tests-").FullName;
    private readonly StringWriter stdout = new();

    private string SummaryPath => Path.Combine(directory, "summary.md");

    private string OutputPath => Path.Combine(directory, "output.txt");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private GitHubActionsWriter Writer() => new(stdout, SummaryPath, OutputPath);

    [Fact]
    public void EscapeData_PercentAndLineBreaks_AreEncoded() =>
        Assert.Equal("100%25 done%0D%0Anext: a,b", GitHubActionsWriter.EscapeData("100% done\r\nnext: a,b"));

    [Fact]
    public void EscapeProperty_AlsoEncodesColonAndComma() =>
        Assert.Equal("deploy web%3A failed%2C 50%25%0A", GitHubActionsWriter.EscapeProperty("deploy web: failed, 50%\n"));

    [Fact]
    public async Task ErrorAsync_WritesEscapedWorkflowCommand()
    {
        await Writer().ErrorAsync("deploy web: failed", "check failed\nHTTP 502 (100%)", CancellationToken.None);

        Assert.Equal("::error title=deploy web%3A failed::check failed%0AHTTP 502 (100%25)" + Environment.NewLine, stdout.ToString());
    }

    [Fact]
    public async Task WarningAsync_WritesWarningCommand()
    {
        await Writer().WarningAsync("rolled back", "traffic on blue", CancellationToken.None);

        Assert.StartsWith("::warning title=rolled back::traffic on blue", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendOutputsAsync_AppendsNameValueLines()
    {
        await File.WriteAllTextAsync(OutputPath, "earlier=1\n");

        await Writer().AppendOutputsAsync([new("deployment-id", "d-42"), new("state", "succeeded")], CancellationToken.None);

        Assert.Equal("earlier=1\ndeployment-id=d-42\nstate=succeeded\n", await File.ReadAllTextAsync(OutputPath));
    }

    [Fact]
    public async Task AppendOutputsAsync_MultiLineValue_UsesHeredocDelimiter()
    {
        await Writer().AppendOutputsAsync([new("message", "line one\nline two")], CancellationToken.None);

        var lines = (await File.ReadAllTextAsync(OutputPath)).Split('\n');
        Assert.StartsWith("message<<ghadelimiter_", lines[0], StringComparison.Ordinal);
        Assert.Equal("line one", lines[1]);
        Assert.Equal("line two", lines[2]);
        Assert.Equal(lines[0]["message<<".Length..], lines[3]);
    }

    [Fact]
    public async Task AppendStepSummaryAsync_AppendsMarkdown()
    {
        await File.WriteAllTextAsync(SummaryPath, "# Before\n");

        await Writer().AppendStepSummaryAsync("| a |", CancellationToken.None);

        Assert.Equal("# Before\n| a |\n", await File.ReadAllTextAsync(SummaryPath));
    }

    [Fact]
    public async Task AppendAsync_NoFilesConfigured_WritesNothing()
    {
        var writer = new GitHubActionsWriter(stdout, null, null);

        await writer.AppendStepSummaryAsync("x", CancellationToken.None);
        await writer.AppendOutputsAsync([new("a", "b")], CancellationToken.None);

        Assert.Empty(Directory.GetFiles(directory));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void FromEnvironment_OnlyUnderGitHubActions_ReturnsWriter(string? value, bool expected)
    {
        var writer = GitHubActionsWriter.FromEnvironment(name => name == "GITHUB_ACTIONS" ? value : null, stdout);

        Assert.Equal(expected, writer is not null);
    }
}
