using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Traffic.Redirect;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>
/// Traffic:Mode Reload: moves traffic by rewriting the app's nginx upstream file and reloading nginx. The file is the
/// record of where traffic goes. A reload closes idle keep-alive connections, so clients racing it can lose requests:
/// the redirect mode exists for that.
/// </summary>
public sealed partial class NginxUpstreamRouter(
    AppCatalog apps,
    UpstreamFileWriter upstream,
    TrafficRouteStore redirectRoutes,
    ILogger<NginxUpstreamRouter> logger) : ITrafficRouter
{
    public async Task<TrafficRoute?> GetRouteAsync(string app, CancellationToken cancellationToken) =>
        await UpstreamFileWriter.ReadAsync(apps.Get(app).Upstream.File, cancellationToken) is { } content
            ? NginxUpstreamFile.ReadRoute(content)
            : null;

    public Task EnsureReachableAsync(CancellationToken cancellationToken) => upstream.EnsureReachableAsync(cancellationToken);

    public async Task RouteAsync(string app, TrafficRoute route, CancellationToken cancellationToken)
    {
        if (route.OtherPercent != 0)
        {
            throw new TrafficSwitchException(
                $"Traffic:Mode Reload cannot split {app}'s traffic between slots; weights need Traffic:Mode Redirect (nftables)");
        }

        // No backup here: taking it in and out around every deploy would cost reloads of their own, each losing
        // keep-alive requests. Instant failover is the redirect mode's.
        var options = apps.Get(app);
        var rendered = NginxUpstreamFile.Render(app, options.Upstream.Name, route.Live, AppCatalog.PortOf(options, route.Live));
        await upstream.WriteAsync(app, options.Upstream.File, rendered, onlyIfChanged: false, cancellationToken);
        LogSwitched(logger, app, route.Live.Name(), options.Upstream.File);
    }

    public TrafficMode Mode => TrafficMode.Reload;

    public string? RefuseWeight(string app, int percent) =>
        percent == 0
            ? null
            : $"Traffic:Mode Reload sends all of an app's traffic to one slot; set Traffic:Mode Redirect (nftables) to split it";

    public Task<SlotAttribution> GetAttributionAsync(string app, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        return Task.FromResult(new SlotAttribution(new Dictionary<string, Slot>(StringComparer.Ordinal)
        {
            [SlotAttribution.Address(options.BluePort)] = Slot.Blue,
            [SlotAttribution.Address(options.GreenPort)] = Slot.Green,
        }));
    }

    /// <summary>
    /// The file is the record and nginx read it at its last reload; the reconciler switches each app again. A file the
    /// redirect mode left (the agent ran with Traffic:Mode Redirect before) is rewritten to the live slot that mode
    /// recorded, with one reload: until then the slot would be unknown here, and a deploy could replace the live one.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var recorded = await redirectRoutes.ListAsync(cancellationToken);
        foreach (var app in apps.Names)
        {
            var options = apps.Get(app);
            if (await UpstreamFileWriter.ReadAsync(options.Upstream.File, cancellationToken) is { } content
                && NginxUpstreamFile.IsFrontPorts(content)
                && recorded.TryGetValue(app, out var route))
            {
                var rendered = NginxUpstreamFile.Render(app, options.Upstream.Name, route.Live, AppCatalog.PortOf(options, route.Live));
                await upstream.WriteAsync(app, options.Upstream.File, rendered, onlyIfChanged: true, cancellationToken);
                LogLeftRedirect(logger, app, route.Live.Name(), options.Upstream.File);
            }
        }
    }

    /// <summary>The upstream file is both the record and what nginx reads: there is nothing beside it to drift.</summary>
    public Task<TrafficRepair?> RepairAsync(CancellationToken cancellationToken) => Task.FromResult<TrafficRepair?>(null);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "{App}: back from Traffic:Mode Redirect, {UpstreamFile} leads to slot {Slot} again (one reload); the nftables table is no longer used: " +
            "remove it with `nft delete table ip TABLE`")]
    private static partial void LogLeftRedirect(ILogger logger, string app, string slot, string upstreamFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Switched {App} to slot {Slot} ({UpstreamFile})")]
    private static partial void LogSwitched(ILogger logger, string app, string slot, string upstreamFile);
}
