using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>
/// "Send app X's traffic to slot Y", or a share of it: the one seam that moves traffic. Two ways sit behind it: the
/// nginx upstream rewrite with a reload (<see cref="NginxUpstreamRouter"/>) and nftables redirects behind fixed front
/// ports, which need no reload (<see cref="Redirect.RedirectRouter"/>).
/// </summary>
public interface ITrafficRouter
{
    /// <summary>The app's route now, or null when nothing was ever switched live.</summary>
    Task<TrafficRoute?> GetRouteAsync(string app, CancellationToken cancellationToken);

    /// <summary>Fails with DependencyUnavailableException when the traffic layer cannot be reached at all.</summary>
    Task EnsureReachableAsync(CancellationToken cancellationToken);

    /// <summary>Moves traffic; on failure live traffic stays where it was and TrafficSwitchException says why.</summary>
    Task RouteAsync(string app, TrafficRoute route, CancellationToken cancellationToken);

    /// <summary>Reload or Redirect: how this router moves traffic.</summary>
    TrafficMode Mode { get; }

    /// <summary>Null when <paramref name="percent"/> of the app's requests can go to one slot, else why not.</summary>
    string? RefuseWeight(string app, int percent);

    /// <summary>How to tell, from nginx's $upstream_addr, which slot answered, as the app is routed now.</summary>
    Task<SlotAttribution> GetAttributionAsync(string app, CancellationToken cancellationToken);

    /// <summary>
    /// At start, before any call: puts the recorded routes back where traffic is moved (a crash may have left a move
    /// half done), and moves a server from another mode to this one.
    /// </summary>
    Task RestoreAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Puts the recorded routes back where traffic is moved when something else changed them (a flush of the ruleset,
    /// a hand edit); null when nothing differed, or when the mode keeps no state outside its record.
    /// </summary>
    Task<TrafficRepair?> RepairAsync(CancellationToken cancellationToken);
}

public static class TrafficRouterExtensions
{
    /// <summary>The slot that serves the app now, or null when nothing was ever switched live.</summary>
    public static async Task<Slot?> GetLiveSlotAsync(this ITrafficRouter router, string app, CancellationToken cancellationToken) =>
        (await router.GetRouteAsync(app, cancellationToken))?.Live;

    /// <summary>All of the app's traffic to <paramref name="slot"/>.</summary>
    public static Task SwitchAsync(this ITrafficRouter router, string app, Slot slot, CancellationToken cancellationToken) =>
        router.RouteAsync(app, new TrafficRoute(slot), cancellationToken);
}

public sealed class TrafficSwitchException(string message) : Exception(message);
