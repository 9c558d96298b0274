extern alias agent;

using System.Diagnostics;
using agent::Mizan.Agent.Runtime.Storage;

namespace Mizan.Bench;

/// <summary>Per-deploy milliseconds of the replayed writes with each synchronous level.</summary>
public sealed record StorageRun(int Commits, IReadOnlyList<double> NormalMs, IReadOnlyList<double> FullMs);

/// <summary>
/// What synchronous=FULL costs a deploy: <see cref="DeployWrites"/> against two fresh databases side by side, one
/// with NORMAL and one with FULL, taking turns which goes first in a round so neither always follows the other's fsyncs.
/// </summary>
public static class StorageMeasurement
{
    public static async Task<StorageRun> RunAsync(int rounds, string parent, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(parent, $"mizan-bench-storage-{Guid.NewGuid():N}")).FullName;
        try
        {
            using var normalDatabase = new AgentDatabase(Path.Combine(directory, "normal"), SqliteSynchronous.Normal);
            using var fullDatabase = new AgentDatabase(Path.Combine(directory, "full"), SqliteSynchronous.Full);
            var normal = new DeployWrites(normalDatabase);
            var full = new DeployWrites(fullDatabase);
            // The first replay of each warms the connection pool and the JIT; it is not counted.
            await normal.ReplayAsync(cancellationToken);
            await full.ReplayAsync(cancellationToken);

            var normalMs = new List<double>(rounds);
            var fullMs = new List<double>(rounds);
            for (var round = 0; round < rounds; round++)
            {
                if (round % 2 == 0)
                {
                    normalMs.Add(await TimeAsync(normal, cancellationToken));
                    fullMs.Add(await TimeAsync(full, cancellationToken));
                }
                else
                {
                    fullMs.Add(await TimeAsync(full, cancellationToken));
                    normalMs.Add(await TimeAsync(normal, cancellationToken));
                }
            }

            return new StorageRun(full.Commits, normalMs, fullMs);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<double> TimeAsync(DeployWrites writes, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await writes.ReplayAsync(cancellationToken);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
