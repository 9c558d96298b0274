using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Storage;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Runtime.Traffic.Redirect;
using Mizan.Agent.Tests.Doubles;

namespace Mizan.Agent.Tests.Runtime.Traffic.Redirect;

/// <summary>The redirect mode against an in-memory kernel table and nginx, with the real SQLite record and upstream file.</summary>
public sealed class RedirectRouterTests : IDisposable
{
    private const string App = "web";
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-redirect-").FullName;
    private readonly FakeNftables kernel = new();
    private readonly FakeNginxControl nginx = new();
    private readonly LogRecorder logs = new();
    private readonly AgentOptions options;
    private readonly AgentDatabase database;
    private readonly List<TrafficRepair> repairs = [];

    public RedirectRouterTests()
    {
        options = new AgentOptions
        {
            Agent = { DataDirectory = directory },
            Traffic = { Mode = TrafficMode.Redirect, Table = "t" },
            Apps =
            {
                [App] = new AppOptions
                {
                    BluePort = 18081,
                    GreenPort = 18082,
                    Upstream = { Name = "web_backend", File = Path.Combine(directory, "web.conf"), FrontPort = 18700, FrontPorts = 10 },
                },
            },
        };
        database = new AgentDatabase(Options.Create(options));
    }

    private string UpstreamFile => options.Apps[App].Upstream.File;

    public void Dispose()
    {
        database.Dispose();
        logs.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task RouteAsync_FirstMove_RedirectsEveryPrimaryAndPointsNginxAtTheFrontPortsOnce()
    {
        var router = NewRouter();

        await router.SwitchAsync(App, Slot.Green, CancellationToken.None);
        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);

        Assert.Equal(Enumerable.Range(18700, 11).ToDictionary(port => port, _ => 18081), kernel.Redirects);
        Assert.Equal(1, nginx.Reloads);
        Assert.Contains("server 127.0.0.1:18710 backup max_fails=0;", File.ReadAllText(UpstreamFile), StringComparison.Ordinal);
        Assert.Equal(new TrafficRoute(Slot.Blue), await router.GetRouteAsync(App, CancellationToken.None));
    }

    [Fact]
    public async Task RouteAsync_TheRouteTheKernelAlreadyHolds_WritesNothingUntilTheTableDiffers()
    {
        await NewRouter().SwitchAsync(App, Slot.Green, CancellationToken.None);

        // A restarted agent re-switches its live slot: nothing to write.
        var restarted = NewRouter();
        await restarted.SwitchAsync(App, Slot.Green, CancellationToken.None);
        await restarted.SwitchAsync(App, Slot.Green, CancellationToken.None);
        Assert.Equal(1, kernel.Transactions);
        Assert.Equal(1, nginx.Reloads);

        kernel.Flush();
        await restarted.SwitchAsync(App, Slot.Green, CancellationToken.None);
        Assert.Equal(2, kernel.Transactions);
        Assert.Equal(Enumerable.Range(18700, 11).ToDictionary(port => port, _ => 18082), kernel.Redirects);

        await restarted.RouteAsync(App, new TrafficRoute(Slot.Green, Backup: true), CancellationToken.None);
        Assert.Equal(3, kernel.Transactions);
        Assert.Equal(18081, kernel.Redirects![18710]);
        Assert.Equal(1, nginx.Reloads);
    }

    [Fact]
    public async Task RouteAsync_WeightAndBackup_SendsThatShareOfPrimariesAndTheBackupToTheOtherSlot()
    {
        var router = NewRouter();

        await router.RouteAsync(App, new TrafficRoute(Slot.Blue, OtherPercent: 30, Backup: true), CancellationToken.None);

        var redirects = kernel.Redirects!;
        Assert.Equal(7, Enumerable.Range(18700, 10).Count(port => redirects[port] == 18081));
        Assert.Equal(3, Enumerable.Range(18700, 10).Count(port => redirects[port] == 18082));
        Assert.Equal(18082, redirects[18710]);
    }

    [Fact]
    public async Task RouteAsync_FromTheLiveSlotToItsBackup_LeavesTheBackupLeadingThere()
    {
        var router = NewRouter();
        await router.RouteAsync(App, new TrafficRoute(Slot.Green, Backup: true), CancellationToken.None);
        Assert.Equal(18081, kernel.Redirects![18710]);

        // As auto-heal moves off a dead live slot: the failed slot is no backup, and the backup port keeps leading to
        // blue, so a request that found green's primaries refusing just before the move is answered behind it.
        await router.RouteAsync(App, new TrafficRoute(Slot.Blue), CancellationToken.None);

        Assert.Equal(Enumerable.Range(18700, 11).ToDictionary(port => port, _ => 18081), kernel.Redirects);
    }

    [Fact]
    public async Task RouteAsync_WeightNotAWholeNumberOfPorts_IsRefusedAndChangesNothing()
    {
        var router = NewRouter();
        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<TrafficSwitchException>(
            () => router.RouteAsync(App, new TrafficRoute(Slot.Blue, OtherPercent: 25), CancellationToken.None));

        Assert.Contains("multiple of 10 %", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, kernel.Transactions);
        Assert.Equal(new TrafficRoute(Slot.Blue), await router.GetRouteAsync(App, CancellationToken.None));
    }

    [Fact]
    public async Task RouteAsync_KernelRefuses_FailsSayingWhyAndKeepsTheRecordedRoute()
    {
        var router = NewRouter();
        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);
        kernel.Refuses = "Error: Could not process rule: Operation not permitted";

        var refused = await Assert.ThrowsAsync<TrafficSwitchException>(() => router.SwitchAsync(App, Slot.Green, CancellationToken.None));

        Assert.Contains("CAP_NET_ADMIN", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Slot.Blue, await router.GetLiveSlotAsync(App, CancellationToken.None));
        Assert.Equal(Slot.Blue, await NewRouter().GetLiveSlotAsync(App, CancellationToken.None));
        Assert.All(kernel.Redirects!.Values, port => Assert.Equal(18081, port));
    }

    [Fact]
    public async Task RouteAsync_NginxRejectsTheFrontPortsFile_PutsTheOldFileAndRedirectsBack()
    {
        var reloadModeFile = NginxUpstreamFile.Render(App, "web_backend", Slot.Blue, 18081);
        File.WriteAllText(UpstreamFile, reloadModeFile);
        nginx.Rejects = true;
        var router = NewRouter();

        await Assert.ThrowsAsync<TrafficSwitchException>(() => router.SwitchAsync(App, Slot.Green, CancellationToken.None));

        Assert.Equal(reloadModeFile, File.ReadAllText(UpstreamFile));
        Assert.Empty(kernel.Redirects!);
        Assert.Null(await router.GetRouteAsync(App, CancellationToken.None));
    }

    [Fact]
    public async Task GetAttributionAsync_AfterAWeightedMove_NamesTheSlotBehindEachFrontPort()
    {
        var router = NewRouter();
        await router.RouteAsync(App, new TrafficRoute(Slot.Green, OtherPercent: 10), CancellationToken.None);

        var attribution = await router.GetAttributionAsync(App, CancellationToken.None);

        Assert.Equal(Slot.Green, attribution.SlotOf("127.0.0.1:18700"));
        Assert.Equal(Slot.Blue, attribution.SlotOf("127.0.0.1:18709"));
        Assert.Equal(Slot.Green, attribution.SlotOf("127.0.0.1:18709, 127.0.0.1:18700"));
        Assert.Equal(Slot.Green, attribution.SlotOf("127.0.0.1:18710"));
    }

    [Fact]
    public async Task RestoreAsync_ReloadModeServer_AdoptsItsLiveSlotPutsRulesInThenRewritesTheFileWithOneReload()
    {
        File.WriteAllText(UpstreamFile, NginxUpstreamFile.Render(App, "web_backend", Slot.Green, 18082));
        var router = NewRouter();

        await router.RestoreAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(18700, 11).ToDictionary(port => port, _ => 18082), kernel.Redirects);
        Assert.Equal(1, nginx.Reloads);
        Assert.Null(NginxUpstreamFile.ReadRoute(File.ReadAllText(UpstreamFile)));
        Assert.Equal(Slot.Green, await NewRouter().GetLiveSlotAsync(App, CancellationToken.None));
        Assert.True(logs.Has(LogLevel.Warning, "Adopted web's route"));
    }

    [Fact]
    public async Task RestoreAsync_AfterAFlush_PutsTheRecordedWeightBackWithoutReloadingNginx()
    {
        await NewRouter().RouteAsync(App, new TrafficRoute(Slot.Blue, OtherPercent: 20), CancellationToken.None);
        kernel.Flush();
        var restarted = NewRouter();

        await restarted.RestoreAsync(CancellationToken.None);

        Assert.Equal(2, kernel.Redirects!.Values.Count(port => port == 18082));
        Assert.Equal(1, nginx.Reloads);
        Assert.Equal(new TrafficRoute(Slot.Blue, 20), await restarted.GetRouteAsync(App, CancellationToken.None));
    }

    [Fact]
    public async Task RepairAsync_AStrayRuleButEveryRedirectInPlace_PutsTheTableBackAffectingNoApp()
    {
        var router = NewRouter();
        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);
        kernel.Run("ip daddr 127.0.0.1 tcp dport 18999 redirect to :18081\n" + string.Concat(Enumerable.Range(18700, 11).Select(
            port => $"ip daddr 127.0.0.1 tcp dport {port} redirect to :18081\n")), jsonOutput: false);

        var repair = await router.RepairAsync(CancellationToken.None);

        Assert.Empty(repair!.Apps);
        Assert.False(kernel.Redirects!.ContainsKey(18999));
    }

    [Fact]
    public async Task RestoreAsync_TableFlushedWhileTheAgentWasDown_ReportsTheAppAsAffected()
    {
        await NewRouter().SwitchAsync(App, Slot.Green, CancellationToken.None);
        kernel.Flush();

        await NewRouter().RestoreAsync(CancellationToken.None);

        Assert.Equal([App], Assert.Single(repairs).Apps);
    }

    [Fact]
    public async Task RepairAsync_TableAsRecorded_ChangesNothing()
    {
        var router = NewRouter();
        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);

        Assert.Null(await router.RepairAsync(CancellationToken.None));
        Assert.Equal(1, kernel.Transactions);
        Assert.Empty(repairs);
    }

    [Fact]
    public async Task RepairAsync_TableFlushed_RewritesItAndSaysSo()
    {
        var router = NewRouter();
        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);
        kernel.Flush();

        var repair = await router.RepairAsync(CancellationToken.None);

        Assert.Equal([App], repair!.Apps);
        Assert.Equal(11, kernel.Redirects!.Count);
        Assert.True(logs.Has(LogLevel.Warning, "differed from the recorded routes"));
        Assert.Equal(repair, Assert.Single(repairs));
    }

    [Fact]
    public async Task RepairAsync_TableFlushed_DatesTheRepairFromWhenTheDriftWasFoundNotFromTheRewrite()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var router = NewRouter(clock);
        await router.SwitchAsync(App, Slot.Blue, CancellationToken.None);
        kernel.Flush();
        var foundAt = clock.GetUtcNow();
        kernel.OnWrite = () => clock.Advance(TimeSpan.FromMilliseconds(40));

        var repair = await router.RepairAsync(CancellationToken.None);

        // Opened at the drift; the observer (the incident) closes it at its own "now", after the rewrite.
        Assert.Equal(foundAt, repair!.At);
        Assert.Equal(foundAt + TimeSpan.FromMilliseconds(40), clock.GetUtcNow());
    }

    private RedirectRouter NewRouter(TimeProvider? time = null)
    {
        var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var monitor = Options.Create(options);
        return new RedirectRouter(
            new AppCatalog(monitor),
            monitor,
            kernel,
            new TrafficRouteStore(database, new FakeTimeProvider()),
            new UpstreamFileWriter(nginx, factory.CreateLogger<UpstreamFileWriter>()),
            [new RecordingObserver(repairs)],
            time ?? TimeProvider.System,
            factory.CreateLogger<RedirectRouter>());
    }

    private sealed class RecordingObserver(List<TrafficRepair> repairs) : ITrafficRepairObserver
    {
        public Task RepairedAsync(TrafficRepair repair, CancellationToken cancellationToken)
        {
            repairs.Add(repair);
            return Task.CompletedTask;
        }
    }
}
