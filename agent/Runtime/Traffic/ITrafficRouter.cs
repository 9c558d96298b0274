using Mizan.Agent.Apps;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>
/// "Send app X's traffic to slot Y." The one seam the deploy engine uses to move traffic, so another way
/// (e.g. a port redirect that needs no nginx reload) can replace the nginx upstream rewrite.
/// </summary>
public interface ITrafficRouter
{
    /// <summary>The slot that serves the app now, or null when nothing was ever switched live.</summary>
    Task<Slot?> GetLiveSlotAsync(string app, CancellationToken cancellationToken);

    /// <summary>Fails with DependencyUnavailableException when the traffic layer cannot be reached at all.</summary>
    Task EnsureReachableAsync(CancellationToken cancellationToken);

    /// <summary>Moves traffic; on failure live traffic stays where it was and TrafficSwitchException says why.</summary>
    Task SwitchAsync(string app, Slot slot, CancellationToken cancellationToken);
}

public sealed class TrafficSwitchException(string message) : Exception(message);
