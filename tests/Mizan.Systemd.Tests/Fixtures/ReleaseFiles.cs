using System.Security.Cryptography;
using System.Text;

namespace Mizan.Systemd.Tests.Fixtures;

/// <summary>What packaging/build-release.sh made, plus a build that fails to start, in one directory.</summary>
public sealed record ReleaseFiles(string Directory, string Tarball, string Deb, string BrokenTarball)
{
    /// <summary>Where the release directory is mounted inside every test machine (read-only).</summary>
    public const string MountPoint = "/release";

    /// <summary>The path of one of these files inside a test machine.</summary>
    public string InMachine(string path) => $"{MountPoint}/{Path.GetRelativePath(Directory, path)}";

    private static readonly Lazy<Task<ReleaseFiles>> Built = new(BuildAsync);

    /// <summary>
    /// Built once per test run, and kept between runs under /var/tmp keyed by a hash of the sources it is built from,
    /// so a rerun without source changes skips the Native AOT publish (minutes on a 2-core machine).
    /// </summary>
    public static Task<ReleaseFiles> GetAsync(CancellationToken cancellationToken) => Built.Value.WaitAsync(cancellationToken);

    private static async Task<ReleaseFiles> BuildAsync()
    {
        const string CacheRoot = "/var/tmp/mizan-release-cache";
        var codeHash = Hash(["agent", "control", "proto"], ["Directory.Build.props", "Directory.Packages.props"]);
        var directory = Path.Combine(CacheRoot, Hash(["systemd", "packaging", "docs"], ["install.sh", "README.md"], codeHash));
        if (!File.Exists(Path.Combine(directory, "complete")))
        {
            // Binaries are keyed by the code alone: a change to install.sh or a unit only repacks them.
            var binaries = Path.Combine(CacheRoot, "bin-" + codeHash);
            var building = directory + ".building-" + Docker.RunId;
            var environment = System.IO.Directory.Exists(binaries)
                ? new Dictionary<string, string> { ["MIZAN_PREBUILT_BIN"] = binaries }
                : null;
            (await ProcessRunner.RunAsync(
                Repository.PathOf("packaging", "build-release.sh"),
                ["--arch", "x64", "--out", building],
                CancellationToken.None,
                TimeSpan.FromMinutes(30),
                environment: environment)).EnsureSuccess();
            if (environment is null)
            {
                var stageBin = Path.Combine(System.IO.Directory.GetDirectories(building, "mizan-agent-*-linux-x64").Single(), "bin");
                (await ProcessRunner.RunAsync("cp", ["-a", stageBin, binaries + ".tmp-" + Docker.RunId], CancellationToken.None)).EnsureSuccess();
                System.IO.Directory.Move(binaries + ".tmp-" + Docker.RunId, binaries);
            }

            await WriteBrokenBuildAsync(building);
            await File.WriteAllTextAsync(Path.Combine(building, "complete"), DateTimeOffset.UtcNow.ToString("O"));
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            System.IO.Directory.Move(building, directory);
        }

        var tarball = System.IO.Directory.GetFiles(directory, "mizan-agent-*-linux-x64.tar.gz").Single();
        var deb = System.IO.Directory.GetFiles(directory, "mizan-agent_*_amd64.deb").Single();
        return new ReleaseFiles(directory, tarball, deb, Path.Combine(directory, "broken", "mizan-agent-9.9.9-linux-x64.tar.gz"));
    }

    /// <summary>
    /// A release whose agent answers --version (so install.sh takes it) but exits 1 at start, as a build with a
    /// start-up bug would: the upgrade to it must put the previous release back.
    /// </summary>
    private static async Task WriteBrokenBuildAsync(string releaseDirectory)
    {
        var stage = System.IO.Directory.GetDirectories(releaseDirectory, "mizan-agent-*-linux-x64").Single();
        var broken = Path.Combine(releaseDirectory, "broken");
        var brokenStage = Path.Combine(broken, "mizan-agent-9.9.9-linux-x64");
        System.IO.Directory.CreateDirectory(broken);
        (await ProcessRunner.RunAsync("cp", ["-a", stage, brokenStage], CancellationToken.None)).EnsureSuccess();
        var agent = Path.Combine(brokenStage, "bin", "mizan-agent");
        File.Delete(agent);
        await File.WriteAllTextAsync(agent, """
            #!/bin/sh
            # A test build of mizan-agent that fails at start.
            if [ "$1" = --version ]; then echo "mizan-agent 9.9.9+broken"; exit 0; fi
            echo "mizan-agent 9.9.9: crashing at start on purpose (test build)" >&2
            exit 1
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(agent, (UnixFileMode)0b111_101_101);
        (await ProcessRunner.RunAsync(
            "tar",
            ["-C", broken, "-czf", Path.Combine(broken, "mizan-agent-9.9.9-linux-x64.tar.gz"), "mizan-agent-9.9.9-linux-x64"],
            CancellationToken.None)).EnsureSuccess();
        (await ProcessRunner.RunAsync("cp", [Repository.PathOf("install.sh"), Path.Combine(broken, "install.sh")], CancellationToken.None)).EnsureSuccess();
    }

    /// <summary>A hash of the files under <paramref name="roots"/> and of <paramref name="files"/> (bin/ and obj/ left out).</summary>
    private static string Hash(string[] roots, string[] files, string seed = "")
    {
        var paths = roots
            .SelectMany(root => System.IO.Directory.EnumerateFiles(Repository.PathOf(root), "*", SearchOption.AllDirectories))
            .Where(path => !path.Contains("/bin/", StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal))
            .Concat(files.Select(file => Repository.PathOf(file)))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(seed));
        foreach (var path in paths)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(Repository.Root, path)));
            hash.AppendData(File.ReadAllBytes(path));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
