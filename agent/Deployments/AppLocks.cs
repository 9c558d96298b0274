using System.Collections.Concurrent;
using Mizan.Agent.Errors;

namespace Mizan.Agent.Deployments;

public sealed record LockHolder(string DeploymentId, string What, DateTimeOffset Since);

/// <summary>One deploy (or rollback, or primitive step) per app at a time; the refusal names who holds it and since when.</summary>
public sealed class AppLocks(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, LockHolder> holders = new(StringComparer.Ordinal);

    public IDisposable Acquire(string app, string deploymentId, string what)
    {
        var holder = new LockHolder(deploymentId, what, time.GetUtcNow());
        if (!holders.TryAdd(app, holder))
        {
            var current = holders.TryGetValue(app, out var held) ? held : holder;
            var age = time.GetUtcNow() - current.Since;
            throw new ConflictException(
                $"a deploy of app '{app}' is already running: {current.What} (deployment {current.DeploymentId}), started {current.Since:yyyy-MM-ddTHH:mm:ssZ} ({age.TotalSeconds:0} s ago); " +
                $"follow it with `mizanctl watch {current.DeploymentId}` and try again when it ends");
        }

        return new Release(() => holders.TryRemove(new KeyValuePair<string, LockHolder>(app, holder)));
    }

    public LockHolder? HolderOf(string app) => holders.TryGetValue(app, out var holder) ? holder : null;

    private sealed class Release(Action release) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                release();
            }
        }
    }
}
