using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>A switch the orchestration asked for, and whether it took (a failed one leaves traffic where it was).</summary>
public sealed record TrafficSwitch(string App, Slot Slot, bool Succeeded);

/// <summary>
/// The traffic layer in memory: which slot each app is live on, where nginx really sends requests (the same, unless
/// <see cref="RoutingFrozen"/>), and every switch asked of it. <c>Switch.FailsOnCall(2)</c> makes the 2nd switch fail
/// the way a rejected nginx configuration does.
/// </summary>
public sealed class FakeTrafficRouter(AgentOptions options) : ITrafficRouter
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, TrafficRoute> live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slot> routed = new(StringComparer.Ordinal);
    private readonly List<TrafficSwitch> switches = [];
    private bool routingFrozen;

    public ScriptedCall Reach { get; } = new(() => new DependencyUnavailableException("nginx cannot be reached: no master process (scripted)"));

    public ScriptedCall Switch { get; } = new(() => new TrafficSwitchException(
        "nginx -t rejected the configuration (scripted); the previous upstream file was put back and nginx was not reloaded"));

    /// <summary>Putting the recorded routes back at start; fails like an unusable nftables.</summary>
    public ScriptedCall Restore { get; } = new(() => new TrafficSwitchException("nftables refused the change (scripted)"));

    /// <summary>Reading the live slot, which the upstream file tells; fails like an unreadable file.</summary>
    public ScriptedCall GetLive { get; } = new(() => new IOException("cannot read the upstream file (scripted)"));

    /// <summary>Switches still succeed and say so, but nginx goes on sending requests where it did (workers that never reload).</summary>
    public bool RoutingFrozen
    {
        get
        {
            lock (gate)
            {
                return routingFrozen;
            }
        }
        set
        {
            lock (gate)
            {
                routingFrozen = value;
            }
        }
    }

    public IReadOnlyList<TrafficSwitch> Switches
    {
        get
        {
            lock (gate)
            {
                return [.. switches];
            }
        }
    }

    /// <summary>The slots traffic was moved to, in order: empty means traffic never moved.</summary>
    public IReadOnlyList<Slot> MovesOf(string app) => [.. Switches.Where(s => s.App == app && s.Succeeded).Select(s => s.Slot)];

    public Slot? LiveOf(string app)
    {
        lock (gate)
        {
            return live.TryGetValue(app, out var route) ? route.Live : null;
        }
    }

    /// <summary>The whole route of the app, with its weight and backup.</summary>
    public TrafficRoute? RouteOf(string app)
    {
        lock (gate)
        {
            return live.GetValueOrDefault(app);
        }
    }

    /// <summary>Where nginx sends the app's requests now.</summary>
    public Slot? RoutedOf(string app)
    {
        lock (gate)
        {
            return routed.TryGetValue(app, out var slot) ? slot : null;
        }
    }

    /// <summary>The app is live on <paramref name="slot"/> as if an earlier agent had switched it; records no switch.</summary>
    public void SetLive(string app, Slot slot)
    {
        lock (gate)
        {
            live[app] = new TrafficRoute(slot);
            routed[app] = slot;
        }
    }

    public async Task<TrafficRoute?> GetRouteAsync(string app, CancellationToken cancellationToken)
    {
        await GetLive.InvokeAsync(cancellationToken);
        return RouteOf(app);
    }

    public Task EnsureReachableAsync(CancellationToken cancellationToken) => Reach.InvokeAsync(cancellationToken);

    public Task RestoreAsync(CancellationToken cancellationToken) => Restore.InvokeAsync(cancellationToken);

    /// <summary>What the next <see cref="RepairAsync"/> finds; null: the table is as recorded.</summary>
    public TrafficRepair? NextRepair { get; set; }

    public Task<TrafficRepair?> RepairAsync(CancellationToken cancellationToken)
    {
        var repair = NextRepair;
        NextRepair = null;
        return Task.FromResult(repair);
    }

    /// <summary>Redirect unless set: weights in steps of 10 %, as with ten front ports, and routing confirmed by one answer.</summary>
    public TrafficMode Mode { get; set; } = TrafficMode.Redirect;

    public string? RefuseWeight(string app, int percent) =>
        Mode == TrafficMode.Reload ? (percent == 0 ? null : "the reload mode cannot split (scripted)")
        : percent % 10 == 0 ? null : $"weights go in steps of 10 %; {percent} % is not (scripted)";

    /// <summary>What <see cref="GetAttributionAsync"/> answers; null answers as the reload mode does.</summary>
    public SlotAttribution? Attribution { get; set; }

    /// <summary>As the reload mode unless <see cref="Attribution"/> is set: nginx names a slot's own port.</summary>
    public Task<SlotAttribution> GetAttributionAsync(string app, CancellationToken cancellationToken)
    {
        if (Attribution is { } scripted)
        {
            return Task.FromResult(scripted);
        }

        var declared = options.Apps[app];
        return Task.FromResult(new SlotAttribution(new Dictionary<string, Slot>(StringComparer.Ordinal)
        {
            [SlotAttribution.Address(declared.BluePort)] = Slot.Blue,
            [SlotAttribution.Address(declared.GreenPort)] = Slot.Green,
        }));
    }

    public async Task RouteAsync(string app, TrafficRoute route, CancellationToken cancellationToken)
    {
        var slot = route.Live;
        try
        {
            await Switch.InvokeAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Record(new TrafficSwitch(app, slot, false));
            throw;
        }

        lock (gate)
        {
            live[app] = route;
            if (!routingFrozen)
            {
                routed[app] = slot;
            }

            switches.Add(new TrafficSwitch(app, slot, true));
        }
    }

    private void Record(TrafficSwitch request)
    {
        lock (gate)
        {
            switches.Add(request);
        }
    }
}
