using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Traffic.Redirect;

/// <summary>
/// An app's fixed ports on 127.0.0.1 that nginx connects to: <see cref="Count"/> primaries, then one backup. Which slot
/// each leads to is the route; nothing listens on them, so a port that leads to no running container refuses at once.
/// </summary>
public sealed record FrontPorts(int First, int Count)
{
    public static FrontPorts Of(AppOptions app) => new(app.Upstream.FrontPort, app.Upstream.FrontPorts);

    public IEnumerable<int> Primaries => Enumerable.Range(First, Count);

    public int Backup => First + Count;

    /// <summary>How many primaries go to the other slot for a share of <paramref name="percent"/>; null when the share is not a whole number of ports.</summary>
    public int? PrimariesFor(int percent) => percent * Count % 100 == 0 ? percent * Count / 100 : null;

    /// <summary>The smallest weight step these ports allow, in percent, or null when no whole step exists (e.g. 3 ports).</summary>
    public int? Step => 100 % Count == 0 ? 100 / Count : null;

    /// <summary>
    /// Front port to slot, for <paramref name="route"/>. The other slot's share takes the last primaries: nginx's
    /// round-robin spreads requests evenly over them, so it takes that share of requests. The backup leads to the other
    /// slot while it stands behind the live one, else to the live slot itself: never to a port that refuses, since a
    /// move can come between a request's tries. When auto-heal moves off a dead live slot, a request that found every
    /// primary refusing a moment before finds the new live slot behind the backup, where it was the standby just before.
    /// </summary>
    public IReadOnlyList<(int FrontPort, Slot Slot)> Map(TrafficRoute route)
    {
        var toOther = PrimariesFor(route.OtherPercent)
            ?? throw new TrafficSwitchException(
                $"a weight of {route.OtherPercent} % is not a whole number of the {Count} front ports; use a multiple of {Step?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "100"} %");
        var map = Primaries.Select((port, index) => (port, index >= Count - toOther ? route.Other : route.Live)).ToList();
        map.Add((Backup, route.Backup ? route.Other : route.Live));
        return map;
    }
}
