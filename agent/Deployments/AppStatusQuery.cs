using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Deployments;

public sealed record SlotView(Slot Slot, int Port, bool Live, SlotContainer? Container, string Health, DateTimeOffset? StandbyUntil);

public sealed record AppView(
    string App,
    Slot? Live,
    IReadOnlyList<SlotView> Slots,
    DeploymentRecord? LastDeployment,
    string? RunningDeploymentId,
    TrafficRoute? Route,
    TrafficMode Mode);

/// <summary>What each app looks like right now: asked of Docker, nginx's upstream file and the journal, not cached.</summary>
public sealed class AppStatusQuery(
    AppCatalog apps,
    IContainerRuntime containers,
    SlotOperations slots,
    ITrafficRouter router,
    DeploymentStore store,
    StandbyStore standbys,
    AppLocks locks)
{
    public async Task<IReadOnlyList<AppView>> GetAsync(string? app, CancellationToken cancellationToken)
    {
        var names = string.IsNullOrEmpty(app) ? apps.Names.Order(StringComparer.Ordinal).ToList() : [AppName(app)];
        var leases = await standbys.ListAsync(cancellationToken);
        var views = new List<AppView>();
        foreach (var name in names)
        {
            var options = apps.Get(name);
            var route = await router.GetRouteAsync(name, cancellationToken);
            var live = route?.Live;
            var slotViews = new List<SlotView>();
            foreach (var slot in new[] { Slot.Blue, Slot.Green })
            {
                var container = await containers.FindSlotContainerAsync(name, slot, cancellationToken);
                var health = container?.State == "running"
                    ? (await slots.ProbeAsync(name, options, slot, cancellationToken)).Healthy ? "healthy" : "unhealthy"
                    : "unknown";
                var lease = leases.FirstOrDefault(l => l.App == name && l.Slot == slot && slot != live);
                slotViews.Add(new SlotView(slot, AppCatalog.PortOf(options, slot), slot == live, container, health, lease?.Until));
            }

            var latest = await store.ListAsync(name, 1, cancellationToken);
            var last = latest.Count > 0 ? latest[0] : null;
            views.Add(new AppView(name, live, slotViews, last, locks.HolderOf(name)?.Operation.Value, route, router.Mode));
        }

        return views;
    }

    private string AppName(string app)
    {
        apps.Get(app);
        return app;
    }
}
