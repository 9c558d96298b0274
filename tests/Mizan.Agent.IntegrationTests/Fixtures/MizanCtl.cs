namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Runs `dotnet mizanctl.dll ARGS --agent ADDRESS` and returns its exit code and output.</summary>
public sealed class MizanCtl(string agentAddress, IReadOnlyDictionary<string, string>? environment = null)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>mizanctl on the agent's unix socket, as root on the box.</summary>
    public static MizanCtl Local(string socketPath) => new($"unix://{socketPath}");

    public string AgentAddress => agentAddress;

    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        // GITHUB_ACTIONS off unless a test sets it: run by a CI job, mizanctl would otherwise fence its output and
        // write to the job's own step outputs.
        var variables = new Dictionary<string, string> { ["NO_COLOR"] = "1", ["DOTNET_NOLOGO"] = "1", ["GITHUB_ACTIONS"] = "" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return ProcessRunner.RunAsync(
            "dotnet",
            [RepoPaths.MizanCtlDll, .. arguments, "--agent", AgentAddress],
            cancellationToken,
            Deadline,
            environment: variables);
    }
}
