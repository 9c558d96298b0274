namespace Mizan.Systemd.Tests.Fixtures;

/// <summary>The docker CLI against the host's engine, pinned to its API version.</summary>
public static class Docker
{
    public const string Label = "mizan.test";

    /// <summary>Which test run created a container: cleanup removes this run's containers only, by id.</summary>
    public static readonly string RunId = Guid.NewGuid().ToString("N")[..12];

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["DOCKER_API_VERSION"] = System.Environment.GetEnvironmentVariable("DOCKER_API_VERSION") is { Length: > 0 } pinned ? pinned : "1.41",
    };

    public static Task<ProcessResult> TryAsync(
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        TimeSpan? deadline = null,
        byte[]? standardInput = null) =>
        ProcessRunner.RunAsync("docker", arguments, cancellationToken, deadline, standardInput, Environment);

    public static async Task<string> RunAsync(
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        TimeSpan? deadline = null,
        byte[]? standardInput = null) =>
        (await TryAsync(arguments, cancellationToken, deadline, standardInput)).EnsureSuccess().StandardOutput.Trim();

    /// <summary>Removes the containers (by id) that carry <paramref name="label"/>; nothing else.</summary>
    public static async Task RemoveContainersLabelledAsync(string label, CancellationToken cancellationToken)
    {
        var ids = (await RunAsync(["ps", "--all", "--quiet", "--no-trunc", "--filter", $"label={label}"], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length > 0)
        {
            await TryAsync(["rm", "--force", .. ids], cancellationToken);
        }
    }
}
