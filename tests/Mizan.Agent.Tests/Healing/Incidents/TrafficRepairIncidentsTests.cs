using Mizan.Agent.Apps.Events;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Tests.Doubles;
using static Mizan.Agent.Tests.Doubles.OrchestrationWorld;

namespace Mizan.Agent.Tests.Healing.Incidents;

public sealed class TrafficRepairIncidentsTests : IDisposable
{
    private readonly OrchestrationWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task RepairedAsync_AppAffected_RecordsAnIncidentOpenedAtTheDriftAndClosedByTheRepair()
    {
        var found = world.Clock.GetUtcNow();
        world.Clock.Advance(TimeSpan.FromMilliseconds(30));

        await world.RepairObserver.RepairedAsync(new TrafficRepair(found, [App], "0 of 10 redirects"), CancellationToken.None);

        var incident = Assert.Single(await world.Incidents.ListOpenedSinceAsync(App, found.AddMinutes(-1), CancellationToken.None));
        Assert.Equal(found, incident.OpenedAt);
        Assert.Equal(found.AddMilliseconds(30), incident.ClosedAt);
        Assert.Contains("changed behind its back (found 0 of 10 redirects)", incident.Reason, StringComparison.Ordinal);
        Assert.Equal([AgentEventKind.IncidentOpened, AgentEventKind.IncidentClosed], world.Published.Select(e => e.Kind));
        Assert.Null(world.OpenIncidents.Of(App));
    }

    [Fact]
    public async Task RepairedAsync_NoAppAffected_RecordsNothing()
    {
        await world.RepairObserver.RepairedAsync(new TrafficRepair(world.Clock.GetUtcNow(), [], "a stray rule"), CancellationToken.None);

        Assert.Empty(await world.Incidents.ListOpenedSinceAsync(App, world.Clock.GetUtcNow().AddMinutes(-1), CancellationToken.None));
        Assert.Empty(world.Published);
    }
}
