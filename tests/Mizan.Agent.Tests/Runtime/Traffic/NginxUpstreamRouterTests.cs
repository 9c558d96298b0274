using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Storage;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Runtime.Traffic.Redirect;
using Mizan.Agent.Tests.Doubles;

namespace Mizan.Agent.Tests.Runtime.Traffic;

/// <summary>The reload mode against an nginx double, with the real upstream file and SQLite record.</summary>
public sealed class NginxUpstreamRouterTests : IDisposable
{
    private const string App = "web";
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-reload-").FullName;
    private readonly FakeNginxControl nginx = new();
    private readonly AgentOptions options;
    private readonly AgentDatabase database;
    private readonly TrafficRouteStore routes;

    public NginxUpstreamRouterTests()
    {
        options = new AgentOptions
        {
            Agent = { DataDirectory = directory },
            Apps =
            {
                [App] = new AppOptions
                {
                    BluePort = 18081,
                    GreenPort = 18082,
                    Upstream = { Name = "web_backend", File = Path.Combine(directory, "web.conf"), FrontPort = 18700 },
                },
            },
        };
        database = new AgentDatabase(Options.Create(options));
        routes = new TrafficRouteStore(database, new FakeTimeProvider());
    }

    private string UpstreamFile => options.Apps[App].Upstream.File;

    public void Dispose()
    {
        database.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task RouteAsync_SameSlotAgain_ReloadsAnyway()
    {
        var router = NewRouter();

        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);
        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);

        Assert.Equal(2, nginx.Reloads);
        Assert.Equal(Slot.Blue, await router.GetLiveSlotAsync(App, CancellationToken.None));
    }

    [Fact]
    public async Task RouteAsync_Weight_IsRefusedAndTheFileStays()
    {
        var router = NewRouter();
        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);

        await Assert.ThrowsAsync<TrafficSwitchException>(
            () => router.RouteAsync(App, new TrafficRoute(Slot.Blue, OtherPercent: 10), CancellationToken.None));

        Assert.Equal(1, nginx.Reloads);
        Assert.NotNull(router.RefuseWeight(App, 10));
    }

    [Fact]
    public async Task RestoreAsync_FileTheRedirectModeLeft_LeadsToItsRecordedLiveSlotAgainWithOneReload()
    {
        var ports = FrontPorts.Of(options.Apps[App]);
        File.WriteAllText(UpstreamFile, NginxUpstreamFile.RenderFrontPorts(App, "web_backend", ports));
        await routes.SetAsync(App, new TrafficRoute(Slot.Green), ports.Map(new TrafficRoute(Slot.Green)), CancellationToken.None);
        var router = NewRouter();

        await router.RestoreAsync(CancellationToken.None);
        await router.RestoreAsync(CancellationToken.None);

        Assert.Equal(Slot.Green, await router.GetLiveSlotAsync(App, CancellationToken.None));
        Assert.Contains("server 127.0.0.1:18082;", File.ReadAllText(UpstreamFile), StringComparison.Ordinal);
        Assert.Equal(1, nginx.Reloads);
    }

    [Fact]
    public async Task RestoreAsync_ReloadModeFile_IsLeftAlone()
    {
        var router = NewRouter();
        await router.SwitchAsync(App, Slot.Green, CancellationToken.None);

        await router.RestoreAsync(CancellationToken.None);

        Assert.Equal(1, nginx.Reloads);
    }

    private NginxUpstreamRouter NewRouter() => new(
        new AppCatalog(Options.Create(options)),
        new UpstreamFileWriter(nginx, NullLogger<UpstreamFileWriter>.Instance),
        routes,
        NullLogger<NginxUpstreamRouter>.Instance);
}
