using System.CommandLine;

namespace Mizan.Control.Tests;

public class ProgramTests
{
    private static ParseResult Parse(params string[] args) =>
        Program.BuildRootCommand(_ => null).Parse(args);

    [Fact]
    public void Parse_ValidDeploy_HasNoErrors() =>
        Assert.Empty(Parse("deploy", "--app", "web", "--image", "v2", "--commit-time", "2024-05-01T12:34:56+02:00").Errors);

    [Fact]
    public void Parse_BadCommitTime_ReportsClearError()
    {
        var errors = Parse("deploy", "--app", "web", "--image", "v2", "--commit-time", "yesterday").Errors;

        var error = Assert.Single(errors);
        Assert.Contains("--commit-time 'yesterday' is not an ISO 8601 time with an offset", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deploy", "--app", "web")]
    [InlineData("status", "--output", "xml")]
    [InlineData("switch", "--app", "web")]
    [InlineData("switch", "--app", "web", "--slot", "red")]
    [InlineData("history", "--app", "web", "--limit", "0")]
    [InlineData("watch")]
    [InlineData("audit", "--since", "yesterday")]
    [InlineData("audit", "--limit", "0")]
    [InlineData("status", "--retries", "-1")]
    [InlineData("cert", "new")]
    public void Parse_BadUsage_HasErrors(params string[] args) =>
        Assert.NotEmpty(Parse(args).Errors);

    [Fact]
    public void Parse_AuditWithSinceAndApp_HasNoErrors() =>
        Assert.Empty(Parse("audit", "--app", "web", "--since", "7d", "--limit", "10").Errors);

    [Fact]
    public void Parse_RemoteOptions_AreAccepted() =>
        Assert.Empty(Parse(
            "--agent", "https://box:7443", "--agent-thumbprint", new string('a', 64), "--client-cert", "ci.pfx", "--retries", "2",
            "deploy", "--app", "web", "--image", "v2", "--idempotency-key", "k-1").Errors);

    [Fact]
    public async Task Invoke_HttpsWithoutThumbprint_ExitsTwoBeforeConnecting()
    {
        var error = new StringWriter();

        var exitCode = await Parse("--agent", "https://127.0.0.1:1", "status").InvokeAsync(new InvocationConfiguration { Error = error });

        Assert.Equal(2, exitCode);
        Assert.Contains("--agent-thumbprint", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GlobalOptionsBeforeVerb_AreAccepted() =>
        Assert.Empty(Parse("--agent", "http://box:5000", "-o", "json", "status").Errors);

    [Fact]
    public async Task Help_Root_DocumentsExitCodes()
    {
        var output = new StringWriter();

        var exitCode = await Parse("--help").InvokeAsync(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        Assert.Contains("Exit codes:", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("the app is busy: another deploy", output.ToString(), StringComparison.Ordinal);
    }
}
