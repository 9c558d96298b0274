using System.Reflection;

namespace Mizan.Bench.Modes;

/// <summary>
/// The programs the run starts: mizanctl as its Native AOT publish (what the release ships), and the agent as its
/// Native AOT publish or, with --jit, as the Release build under dotnet. The publishes go to bench/bin/native with an
/// artifacts path of their own, so they neither disturb nor are disturbed by the ordinary builds (a publish for
/// linux-x64 rewrites the project's restore output, and the next ordinary build would make the publish start over).
/// </summary>
public static class NativeBuilds
{
    private static string Root => Path.Combine(ModesRun.RepositoryRoot, "bench", "bin", "native");

    /// <summary>`dotnet publish PROJECT -c Release -r linux-x64 -p:PublishAot=true`; incremental after the first run (minutes).</summary>
    public static async Task<string> PublishAsync(string projectFolder, string programName, CancellationToken cancellationToken)
    {
        var output = Path.Combine(Root, "publish", projectFolder);
        (await ProcessRunner.RunAsync(
            "dotnet",
            [
                "publish", Path.Combine(ModesRun.RepositoryRoot, projectFolder), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
                "--artifacts-path", Root, "-o", output, "--nologo", "-v", "quiet"
            ],
            cancellationToken,
            TimeSpan.FromMinutes(30),
            environment: new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" })).EnsureSuccess();
        return Path.Combine(output, programName);
    }

    public static async Task<AgentBinary> AgentAsync(bool jit, CancellationToken cancellationToken)
    {
        if (!jit)
        {
            var native = await PublishAsync("agent", "mizan-agent", cancellationToken);
            return new AgentBinary(native, [], $"Native AOT publish ({native})");
        }

        // The bench's own build built the agent with the same configuration (a project reference).
        var configuration = typeof(NativeBuilds).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var dll = Path.Combine(ModesRun.RepositoryRoot, "agent", "bin", configuration, "net10.0", "mizan-agent.dll");
        return File.Exists(dll)
            ? new AgentBinary("dotnet", [dll], $"{configuration} build under dotnet ({dll})")
            : throw new FileNotFoundException($"{dll} is missing: build the agent ({configuration})", dll);
    }
}
