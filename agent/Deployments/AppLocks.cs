using System.Collections.Concurrent;
using Mizan.Agent.Apps;

namespace Mizan.Agent.Deployments;

public sealed record LockHolder(OperationId Operation, string What, DateTimeOffset Since);

/// <summary>One deploy (or rollback, or primitive step) per app at a time; the refusal names who holds it and since when.</summary>
public sealed class AppLocks(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, LockHolder> holders = new(StringComparer.Ordinal);

    public IDisposable Acquire(string app, OperationId operation, string what)
    {
        var holder = new LockHolder(operation, what, time.GetUtcNow());
        if (!holders.TryAdd(app, holder))
        {
            var current = holders.TryGetValue(app, out var held) ? held : holder;
            var age = time.GetUtcNow() - current.Since;
            throw new LockHeldException(Refusal(app, current, age), app, current.Operation, current.What, current.Since);
        }

        return new Release(() => holders.TryRemove(new KeyValuePair<string, LockHolder>(app, holder)));
    }

    private static string Refusal(string app, LockHolder current, TimeSpan age)
    {
        var since = $"{current.Since:yyyy-MM-ddTHH:mm:ssZ} ({age.TotalSeconds:0} s ago)";
        return current.Operation.Kind switch
        {
            OperationKind.AutoHeal =>
                $"auto-heal is acting on app '{app}' ({current.What}, {current.Operation}) since {since}; " +
                "try again when it is done (`mizanctl health --app APP` shows the app's checks and incident)",
            OperationKind.StandbyExpiry =>
                $"the agent is stopping the expired standby of app '{app}' ({current.Operation}) since {since}; try again in a moment",
            _ =>
                $"a deploy of app '{app}' is already running: {current.What} (deployment {current.Operation}), started {since}; " +
                $"follow it with `mizanctl watch {current.Operation}` and try again when it ends",
        };
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
