namespace Mizan.Bench.Modes;

/// <summary>
/// Identity of one `--modes` run. Every name it gives (apps, containers, images, nftables tables, temp directories)
/// carries <see cref="Id"/>, so cleanup touches this run's things and nothing of the other runs on the machine.
/// </summary>
public static class ModesRun
{
    public static readonly string Id = Guid.NewGuid().ToString("N")[..8];

    /// <summary>The label of the images the run builds.</summary>
    public const string Label = "mizan.bench.run";

    /// <summary>docker's environment: the engine from Debian's docker.io speaks API 1.41; a newer docker client must be told so.</summary>
    public static readonly IReadOnlyDictionary<string, string> DockerEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOCKER_API_VERSION"] = Environment.GetEnvironmentVariable("DOCKER_API_VERSION") is { Length: > 0 } pinned ? pinned : "1.41",
    };

    public static Task<ProcessResult> DockerAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, byte[]? standardInput = null) =>
        ProcessRunner.RunAsync("docker", arguments, cancellationToken, TimeSpan.FromSeconds(120), standardInput, DockerEnvironment);

    /// <summary>The repository's root (where MizanAgent.sln is), found above the running bench.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MizanAgent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No MizanAgent.sln above {AppContext.BaseDirectory}: run the bench from the repository");
    }
}
