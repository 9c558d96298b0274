using System.Collections.Concurrent;
using Mizan.Agent.Apps;

namespace Mizan.Agent.Deployments;

public sealed record LockHolder(string DeploymentId, string What, DateTimeOffset Since);

/// <summary>One deploy (or rollback, or primitive step) per app at a time; the refusal names who holds it and since when.</summary>
public sealed class AppLocks(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, LockHolder> holders = new(StringComparer.Ordinal);

    /// <summary>The lock holder id auto-heal uses ("h-..."), so a refused deploy can say who it waits for.</summary>
    public const string AutoHealIdPrefix = "h-";

    public IDisposable Acquire(string app, string deploymentId, string what)
    {
        var holder = new LockHolder(deploymentId, what, time.GetUtcNow());
        if (!holders.TryAdd(app, holder))
        {
            var current = holders.TryGetValue(app, out var held) ? held : holder;
            var age = time.GetUtcNow() - current.Since;
            if (current.DeploymentId.StartsWith(AutoHealIdPrefix, StringComparison.Ordinal))
            {
                throw new ConflictException(
                    $"auto-heal is acting on app '{app}' ({current.What}, {current.DeploymentId}) since {current.Since:yyyy-MM-ddTHH:mm:ssZ} ({age.TotalSeconds:0} s ago); " +
                    "try again when it is done (`mizanctl health --app APP` shows the app's checks and incident)");
            }

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
