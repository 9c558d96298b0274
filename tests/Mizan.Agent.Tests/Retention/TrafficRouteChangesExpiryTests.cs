using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Retention;
using Mizan.Agent.Runtime.Storage;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Runtime.Traffic.Redirect;

namespace Mizan.Agent.Tests.Retention;

public sealed class TrafficRouteChangesExpiryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-route-expiry-").FullName;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly AgentDatabase database;
    private readonly TrafficRouteStore store;
    private readonly AgentOptions options;

    public TrafficRouteChangesExpiryTests()
    {
        options = new AgentOptions { Agent = { DataDirectory = directory }, Retention = { KeepHistoryFor = TimeSpan.FromDays(30) } };
        database = new AgentDatabase(Options.Create(options));
        store = new TrafficRouteStore(database, time);
    }

    public void Dispose()
    {
        database.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task DeleteBeforeAsync_OldAndNewChanges_DropsTheOldMapsAndKeepsTheCurrentRoute()
    {
        var ports = new FrontPorts(18700, 10);
        await store.SetAsync("web", new TrafficRoute(Slot.Blue), ports.Map(new TrafficRoute(Slot.Blue)), CancellationToken.None);
        time.Advance(TimeSpan.FromDays(40));
        await store.SetAsync("web", new TrafficRoute(Slot.Green), ports.Map(new TrafficRoute(Slot.Green)), CancellationToken.None);
        var expiry = new TrafficRouteChangesExpiry(store, Options.Create(options));

        var deleted = await expiry.DeleteBeforeAsync(time.GetUtcNow() - expiry.KeepFor, CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(new TrafficRoute(Slot.Green), (await store.ListAsync(CancellationToken.None))["web"]);
    }
}
