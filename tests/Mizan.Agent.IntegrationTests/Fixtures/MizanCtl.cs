namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Runs `dotnet mizanctl.dll ARGS --agent unix://SOCKET` and returns its exit code and output.</summary>
public sealed class MizanCtl(string socketPath)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public string AgentAddress => $"unix://{socketPath}";

    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(
            "dotnet",
            [RepoPaths.MizanCtlDll, .. arguments, "--agent", AgentAddress],
            cancellationToken,
            Deadline,
            environment: new Dictionary<string, string> { ["NO_COLOR"] = "1", ["DOTNET_NOLOGO"] = "1" });
}
