using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public sealed class GitHubActionsDeploymentOutputTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizanctl-tests-").FullName;
    private readonly StringWriter stdout = new();

    private string SummaryPath => Path.Combine(directory, "summary.md");

    private string OutputPath => Path.Combine(directory, "output.txt");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private async Task ReportAsync(Deployment result)
    {
        var output = new GitHubActionsDeploymentOutput(new GitHubActionsWriter(stdout, SummaryPath, OutputPath), "deploy", "web");
        await output.OnEventAsync(TestData.Event(Step.Pull, StepStatus.Succeeded, "pulled"), CancellationToken.None);
        await output.OnResultAsync(result, CancellationToken.None);
    }

    [Fact]
    public async Task OnResultAsync_Succeeded_WritesOutputsAndNoAnnotation()
    {
        await ReportAsync(TestData.Deployment(DeploymentState.Succeeded));

        Assert.Equal("", stdout.ToString());
        Assert.Equal(
            "deployment-id=d-42\nlive-image=registry.example/web:v2\nlive-slot=green\nstate=succeeded\n",
            await File.ReadAllTextAsync(OutputPath));
        Assert.Contains("| pull | succeeded |", await File.ReadAllTextAsync(SummaryPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnResultAsync_Failed_WritesErrorWithAgentMessage()
    {
        await ReportAsync(TestData.Deployment(DeploymentState.Failed, "check failed: HTTP 502"));

        Assert.StartsWith("::error title=mizanctl deploy web%3A failed::", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("check failed: HTTP 502", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("live-slot=blue\nstate=failed\n", await File.ReadAllTextAsync(OutputPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnResultAsync_RolledBack_WritesWarning()
    {
        await ReportAsync(TestData.Deployment(DeploymentState.RolledBack, "verify failed"));

        Assert.StartsWith("::warning title=", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("state=rolled_back", await File.ReadAllTextAsync(OutputPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnDetachedAsync_WritesErrorAndDeploymentId()
    {
        var output = new GitHubActionsDeploymentOutput(new GitHubActionsWriter(stdout, SummaryPath, OutputPath), "deploy", "web");

        await output.OnDetachedAsync("d-42", "connection lost", CancellationToken.None);

        Assert.Contains("mizanctl watch d-42", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal("deployment-id=d-42\n", await File.ReadAllTextAsync(OutputPath));
    }
}
