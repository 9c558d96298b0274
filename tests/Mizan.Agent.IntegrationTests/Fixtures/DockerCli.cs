namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>The docker command line, pinned to the engine's API version (a newer client may sit in /usr/local/bin).</summary>
public static class DockerCli
{
    /// <summary>The environment every docker command gets: DOCKER_API_VERSION, the caller's or 1.41.</summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["DOCKER_API_VERSION"] = System.Environment.GetEnvironmentVariable("DOCKER_API_VERSION") is { Length: > 0 } pinned ? pinned : "1.41",
    };

    /// <summary><see cref="Environment"/> plus <paramref name="extra"/> (e.g. DOCKER_CONFIG, DOCKER_BUILDKIT).</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentWith(IEnumerable<KeyValuePair<string, string>> extra)
    {
        var environment = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <param name="environment">Replaces <see cref="Environment"/>; build it with <see cref="EnvironmentWith"/>.</param>
    public static Task<ProcessResult> TryAsync(
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        byte[]? standardInput = null,
        TimeSpan? deadline = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync("docker", arguments, cancellationToken, deadline, standardInput, environment ?? Environment);

    public static async Task<string> RunAsync(
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        byte[]? standardInput = null,
        TimeSpan? deadline = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        (await TryAsync(arguments, cancellationToken, standardInput, deadline, environment)).EnsureSuccess().StandardOutput.Trim();

    public static async Task<IReadOnlyList<string>> ContainerIdsWithLabelAsync(string label, CancellationToken cancellationToken)
    {
        var output = await RunAsync(["ps", "--all", "--quiet", "--no-trunc", "--filter", $"label={label}"], cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Removes exactly the containers carrying <paramref name="label"/> ("key=value").</summary>
    public static async Task RemoveContainersWithLabelAsync(string label, CancellationToken cancellationToken)
    {
        var ids = await ContainerIdsWithLabelAsync(label, cancellationToken);
        if (ids.Count > 0)
        {
            await TryAsync(["rm", "--force", "--volumes", .. ids], cancellationToken);
        }
    }

    /// <summary>docker inspect of one container, or null when there is no such container.</summary>
    public static async Task<ContainerSnapshot?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
    {
        var result = await TryAsync(["container", "inspect", nameOrId], cancellationToken);
        if (result.ExitCode != 0)
        {
            return result.StandardError.Contains("No such", StringComparison.OrdinalIgnoreCase)
                ? null
                : throw new InvalidOperationException($"docker inspect {nameOrId} failed: {result}");
        }

        return ContainerSnapshot.ParseInspectOutput(result.StandardOutput);
    }

    /// <summary>`docker kill` (SIGKILL): the container dies as in a crash; its restart policy does not bring it back.</summary>
    public static Task KillAsync(string nameOrId, CancellationToken cancellationToken) =>
        RunAsync(["kill", nameOrId], cancellationToken);
}
