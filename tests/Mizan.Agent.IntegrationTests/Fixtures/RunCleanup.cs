using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// Removes what the test run created and nothing else: at the end of the run, the images it built (by id, which
/// also drops the registry tags an agent pulled), the shared registry and every nftables table of the run
/// (<see cref="TrafficTables"/>); at the start of a run, images, containers, temp dirs and nftables tables left by
/// earlier runs of this suite that are older than <see cref="StaleAfter"/> (left behind when a run was killed).
/// Containers and the table of a test are removed by that test.
/// </summary>
public static class RunCleanup
{
    /// <summary>Far longer than a run, so a run going on at the same time on the same engine is never touched.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(30);

    private static readonly Lazy<Task> StaleSweep = new(SweepStaleAsync);
    private static readonly Lazy<Task> EndOfRun = new(RunAtEndAsync);
    private static readonly ConcurrentDictionary<string, bool> ImagesBuilt = new(StringComparer.Ordinal);
    private static int registered;

    /// <summary>Called before the first thing is created; sweeps stale leftovers once per run.</summary>
    public static Task EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAtEnd();
        }

        return StaleSweep.Value.WaitAsync(cancellationToken);
    }

    public static void TrackImage(string imageId) => ImagesBuilt.TryAdd(imageId.Trim(), true);

    /// <summary>Starts the end-of-run cleanup, or joins the one already running, and waits for it.</summary>
    /// <remarks>
    /// xunit disposes the test framework without waiting (async void) and the runner may kill the test host soon
    /// after, so the cleanup is quick: one `docker rmi` of known ids (a separate process, which finishes even if
    /// the host is killed).
    /// </remarks>
    public static void RunAtEnd()
    {
        if (Volatile.Read(ref registered) == 1)
        {
            EndOfRun.Value.GetAwaiter().GetResult();
        }
    }

    private static async Task RunAtEndAsync()
    {
        // The runner may kill the test host, with its process tree, any moment now: the image removals go to the
        // engine as parallel API requests (no child process to be killed midway) and the registry is killed at once.
        var ids = ImagesBuilt.Keys.ToList();
        var removal = DockerEngineApi.DeleteImagesAsync(ids, CancellationToken.None);
        SharedTestRegistry.KillAndForget();
        // One short-lived nft per table, and only for a table a crashed test left (each test deletes its own).
        var tables = TrafficTables.DeleteThisRunsAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(removal, tables).WaitAsync(TimeSpan.FromSeconds(15));
            if (tables.Result.Count > 0)
            {
                await Console.Error.WriteLineAsync(
                    $"mizan integration tests: deleted nftables tables left by crashed tests: {string.Join(", ", tables.Result)}");
            }
        }
        catch (Exception exception)
            when (exception is HttpRequestException or TimeoutException or SocketException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"mizan integration tests: cleanup incomplete: {exception.Message}");
        }
    }

    private static async Task SweepStaleAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var token = deadline.Token;
        var containers = await StaleAsync(["ps", "--all", "--no-trunc", "--filter", $"label={TestRun.Label}", "--format", "{{.ID}}\t{{.CreatedAt}}"], token);
        if (containers.Count > 0)
        {
            await DockerCli.TryAsync(["rm", "--force", .. containers], token);
        }

        var images = await StaleAsync(["images", "--no-trunc", "--filter", $"label={TestRun.Label}", "--format", "{{.ID}}\t{{.CreatedAt}}"], token);
        if (images.Count > 0)
        {
            await DockerCli.TryAsync(["rmi", "--force", .. images.Distinct()], token);
        }

        await TrafficTables.DeleteStaleAsync(StaleAfter, token);
        foreach (var directory in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories($"{TempDirectory.Prefix}*"))
        {
            if (DateTime.UtcNow - directory.LastWriteTimeUtc > StaleAfter)
            {
                TempDirectory.DeleteQuietly(directory.FullName);
            }
        }
    }

    private static async Task<IReadOnlyList<string>> StaleAsync(IEnumerable<string> listArguments, CancellationToken cancellationToken)
    {
        var listing = await DockerCli.RunAsync(listArguments, cancellationToken);
        var stale = new List<string>();
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            // CreatedAt looks like "2026-11-27 08:30:12 +0000 UTC".
            var created = fields.Length == 2 && fields[1].Length >= 25
                && DateTimeOffset.TryParseExact(fields[1][..25], "yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                ? at
                : DateTimeOffset.MaxValue;
            if (DateTimeOffset.UtcNow - created > StaleAfter)
            {
                stale.Add(fields[0]);
            }
        }

        return stale;
    }

    /// <summary>Runs the end-of-run cleanup when xunit disposes the test framework.</summary>
    public sealed class AtEndOfRun : IDisposable
    {
        public void Dispose() => RunAtEnd();
    }
}
