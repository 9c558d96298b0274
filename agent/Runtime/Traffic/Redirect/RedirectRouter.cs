using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Traffic.Redirect;

/// <summary>
/// Traffic:Mode Redirect. nginx's upstream for an app lists its front ports, written once; a move rewrites the agent's
/// nftables table in one atomic transaction, reads it back, and records the route in SQLite. nginx is never reloaded
/// for a move, and the rules live in the kernel, so an agent crash, restart or upgrade never cuts traffic.
/// </summary>
public sealed partial class RedirectRouter(
    AppCatalog apps,
    IOptions<AgentOptions> agentOptions,
    INftables nftables,
    TrafficRouteStore store,
    UpstreamFileWriter upstream,
    IEnumerable<ITrafficRepairObserver> observers,
    TimeProvider time,
    ILogger<RedirectRouter> logger) : ITrafficRouter, IDisposable
{
    // One move at a time: the table is written whole, from every app's route.
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile IReadOnlyDictionary<string, TrafficRoute>? routes;

    private string Table => agentOptions.Value.Traffic.Table;

    public void Dispose() => gate.Dispose();

    public async Task<TrafficRoute?> GetRouteAsync(string app, CancellationToken cancellationToken)
    {
        _ = apps.Get(app);
        return (routes ?? await LoadAsync(cancellationToken)).GetValueOrDefault(app);
    }

    public async Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        await upstream.EnsureReachableAsync(cancellationToken);
        try
        {
            _ = ReadKernel();
        }
        catch (TrafficSwitchException ex)
        {
            throw new DependencyUnavailableException(ex.Message, ex);
        }
    }

    public async Task RouteAsync(string app, TrafficRoute route, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        var map = FrontPorts.Of(options).Map(route);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var current = routes ?? await LoadAsync(cancellationToken);
            if (current.GetValueOrDefault(app) == route && KernelHolds(current))
            {
                // Already so (each start re-switches the live slot to make sure): the table, its record and the file stay
                // as they are, so a restarted agent leaves its rules exactly as it found them.
                await EnsureFrontPortsAsync(app, options, CancellationToken.None);
                return;
            }

            var next = new Dictionary<string, TrafficRoute>(current, StringComparer.Ordinal) { [app] = route };

            // From here a move runs to its end or is undone: a cancelled call must not leave the kernel, the file and
            // the record disagreeing.
            Apply(next);
            try
            {
                // The rules are in before nginx is pointed at the front ports (once, on the first move in this mode).
                await EnsureFrontPortsAsync(app, options, CancellationToken.None);
                await store.SetAsync(app, route, map, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Apply(current);
                throw ex as TrafficSwitchException ?? new TrafficSwitchException(
                    $"could not record {app}'s new route ({ex.Message}), so the redirects were put back and live traffic is unchanged");
            }

            routes = next;
            LogRouted(logger, app, route.Describe(), Table);
        }
        finally
        {
            gate.Release();
        }
    }

    public TrafficMode Mode => TrafficMode.Redirect;

    public string? RefuseWeight(string app, int percent)
    {
        var ports = FrontPorts.Of(apps.Get(app));
        return ports.PrimariesFor(percent) is null
            ? $"{app} has {ports.Count} front ports (Apps:{app}:Upstream:FrontPorts), so a weight is a multiple of " +
                $"{ports.Step?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "100"} %; {percent} % is not"
            : null;
    }

    public async Task<SlotAttribution> GetAttributionAsync(string app, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        var slots = new Dictionary<string, Slot>(StringComparer.Ordinal)
        {
            // A file still in the reload mode's form names the slots' own ports.
            [SlotAttribution.Address(options.BluePort)] = Slot.Blue,
            [SlotAttribution.Address(options.GreenPort)] = Slot.Green,
        };
        if (await GetRouteAsync(app, cancellationToken) is { } route)
        {
            foreach (var (frontPort, slot) in FrontPorts.Of(options).Map(route))
            {
                slots[SlotAttribution.Address(frontPort)] = slot;
            }
        }

        return new SlotAttribution(slots);
    }

    /// <summary>
    /// At start: the recorded routes go back into the kernel (rules first), then each app's upstream file is rewritten
    /// to its front ports if it is not already, with one reload. An app the reload mode served is adopted with the
    /// slot its file names, so moving a live server to this mode keeps its traffic where it was.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        TrafficRepair? repair;
        await gate.WaitAsync(cancellationToken);
        try
        {
            var recorded = new Dictionary<string, TrafficRoute>(await store.ListAsync(cancellationToken), StringComparer.Ordinal);
            foreach (var app in apps.Names.Where(app => !recorded.ContainsKey(app)))
            {
                var options = apps.Get(app);
                if (await UpstreamFileWriter.ReadAsync(options.Upstream.File, cancellationToken) is { } content
                    && NginxUpstreamFile.ReadRoute(content) is { } adopted)
                {
                    var route = adopted;
                    await store.SetAsync(app, route, FrontPorts.Of(options).Map(route), cancellationToken);
                    recorded[app] = route;
                    LogAdopted(logger, app, route.Describe(), options.Upstream.File);
                }
            }

            routes = recorded.Where(entry => apps.Names.Contains(entry.Key)).ToDictionary(StringComparer.Ordinal);
            repair = RepairKernel(routes);
            foreach (var app in routes.Keys)
            {
                await EnsureFrontPortsAsync(app, apps.Get(app), cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }

        await NotifyAsync(repair, cancellationToken);
    }

    /// <summary>Re-applies the recorded routes when the kernel's table differs from them (a flush, a hand edit).</summary>
    public async Task<TrafficRepair?> RepairAsync(CancellationToken cancellationToken)
    {
        TrafficRepair? repair;
        await gate.WaitAsync(cancellationToken);
        try
        {
            repair = RepairKernel(routes ?? await LoadAsync(cancellationToken));
        }
        finally
        {
            gate.Release();
        }

        await NotifyAsync(repair, cancellationToken);
        return repair;
    }

    private TrafficRepair? RepairKernel(IReadOnlyDictionary<string, TrafficRoute> recorded)
    {
        var expected = Redirects(recorded);
        IReadOnlyDictionary<int, int>? actual;
        try
        {
            actual = ReadKernel();
        }
        catch (TrafficSwitchException)
        {
            actual = null;
        }

        if (actual is not null && Same(actual, expected))
        {
            return null;
        }

        // The incident this repair records opens now, when the drift is found, and closes once the table is back.
        var foundAt = time.GetUtcNow();
        Apply(recorded);
        var found = actual is null ? "a table the agent did not write" : $"{actual.Count} of {expected.Count} redirects";
        var affected = expected
            .Where(r => actual is null || !actual.TryGetValue(r.FrontPort, out var port) || port != r.SlotPort)
            .Select(r => r.App)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        LogRepaired(logger, Table, found, expected.Count, affected.Count == 0 ? "none" : string.Join(", ", affected));
        return new TrafficRepair(foundAt, affected, found);
    }

    private async Task NotifyAsync(TrafficRepair? repair, CancellationToken cancellationToken)
    {
        if (repair is null)
        {
            return;
        }

        foreach (var observer in observers)
        {
            await observer.RepairedAsync(repair, cancellationToken);
        }
    }

    private bool KernelHolds(IReadOnlyDictionary<string, TrafficRoute> recorded)
    {
        try
        {
            return Same(ReadKernel(), Redirects(recorded));
        }
        catch (TrafficSwitchException)
        {
            return false;
        }
    }

    private async Task<IReadOnlyDictionary<string, TrafficRoute>> LoadAsync(CancellationToken cancellationToken)
    {
        var recorded = await store.ListAsync(cancellationToken);
        return routes ??= recorded.Where(entry => apps.Names.Contains(entry.Key)).ToDictionary(StringComparer.Ordinal);
    }

    private async Task EnsureFrontPortsAsync(string app, AppOptions options, CancellationToken cancellationToken)
    {
        var rendered = NginxUpstreamFile.RenderFrontPorts(app, options.Upstream.Name, FrontPorts.Of(options));
        if (await upstream.WriteAsync(app, options.Upstream.File, rendered, onlyIfChanged: true, cancellationToken))
        {
            LogFrontPortsWritten(logger, app, options.Upstream.File);
        }
    }

    private List<PortRedirect> Redirects(IReadOnlyDictionary<string, TrafficRoute> recorded) =>
        [.. recorded.SelectMany(entry =>
        {
            var options = apps.Get(entry.Key);
            return FrontPorts.Of(options).Map(entry.Value).Select(port => new PortRedirect(entry.Key, port.FrontPort, AppCatalog.PortOf(options, port.Slot)));
        })];

    /// <summary>Writes the whole table and reads it back; on failure the kernel still holds what it held.</summary>
    private void Apply(IReadOnlyDictionary<string, TrafficRoute> next)
    {
        var redirects = Redirects(next);
        var result = nftables.Run(RedirectTable.Render(Table, redirects), jsonOutput: false);
        if (!result.Succeeded)
        {
            throw new TrafficSwitchException($"nftables refused the change to table ip {Table}, so live traffic is unchanged: {Explain(result.Error)}");
        }

        var actual = ReadKernel();
        if (!Same(actual, redirects))
        {
            throw new TrafficSwitchException(
                $"table ip {Table} read back with {actual.Count} redirects where {redirects.Count} were written: something else writes to it; " +
                "give the agent a table of its own (Traffic:Table)");
        }
    }

    private IReadOnlyDictionary<int, int> ReadKernel()
    {
        var result = nftables.Run(RedirectTable.List(Table), jsonOutput: true);
        if (!result.Succeeded)
        {
            // Missing (never written, or flushed): nothing is redirected.
            return result.Error.Contains("No such file or directory", StringComparison.Ordinal)
                ? new Dictionary<int, int>()
                : throw new TrafficSwitchException($"cannot read nftables table ip {Table}: {Explain(result.Error)}");
        }

        return RedirectTable.ReadRedirects(result.Output)
            ?? throw new TrafficSwitchException($"table ip {Table} holds rules the agent did not write; give the agent a table of its own (Traffic:Table)");
    }

    private static bool Same(IReadOnlyDictionary<int, int> actual, List<PortRedirect> expected) =>
        actual.Count == expected.Count && expected.All(r => actual.TryGetValue(r.FrontPort, out var port) && port == r.SlotPort);

    private static string Explain(string error) =>
        error.Contains("Operation not permitted", StringComparison.Ordinal)
            ? $"{error} (the agent needs CAP_NET_ADMIN for nftables: the mizan-agent unit grants it, see docs/operations.md)"
            : error;

    [LoggerMessage(Level = LogLevel.Information, Message = "Routed {App}: {Route} (nftables table ip {Table})")]
    private static partial void LogRouted(ILogger logger, string app, string route, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adopted {App}'s route from the reload mode's {UpstreamFile}: {Route}")]
    private static partial void LogAdopted(ILogger logger, string app, string route, string upstreamFile);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "nftables table ip {Table} differed from the recorded routes (found {Found}); re-applied {Expected} redirects; traffic affected: {Apps}")]
    private static partial void LogRepaired(ILogger logger, string table, string found, int expected, string apps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: nginx now connects to the front ports ({UpstreamFile} rewritten and nginx reloaded once)")]
    private static partial void LogFrontPortsWritten(ILogger logger, string app, string upstreamFile);
}
