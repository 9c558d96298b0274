using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Healing;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Probes;
using Mizan.Agent.Runtime.Storage;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>
/// The orchestration (engine, deploy and rollback runs, auto-heal, the start-up reconciler) composed by the agent's own
/// AddApps, AddDeployments and AddHealing, over doubles of what Runtime reaches outside: <see cref="FakeContainerRuntime"/>,
/// <see cref="FakeTrafficRouter"/> and <see cref="FakeNetwork"/> behind the real HttpProbe, with a <see cref="TestClock"/>
/// and a real SQLite file in a fresh directory. It declares one app, <see cref="App"/>; <c>configure</c> changes it or adds more.
/// </summary>
public sealed class OrchestrationWorld : IDisposable
{
    public const string App = "web";
    public const string Repository = "localhost:5000/web";
    public const string VerifyUrl = "http://127.0.0.1:8080/";
    public const int BluePort = 18081;
    public const int GreenPort = 18082;

    /// <summary>How far apart the recorded self-checks are.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    private readonly string directory = NewDatabaseDirectory();
    private readonly HttpClient http;
    private readonly ServiceProvider services;
    private readonly AgentEvents.Subscription subscription;
    private readonly List<AgentEvent> published = [];

    public OrchestrationWorld(Action<AgentOptions>? configure = null)
    {
        Options = new AgentOptions { Agent = { DataDirectory = directory } };
        Options.Apps[App] = NewApp(Repository, BluePort, GreenPort, VerifyUrl);
        configure?.Invoke(Options);
        Router = new FakeTrafficRouter(Options);
        Network = new FakeNetwork(Options, Containers, Router);
        http = new HttpClient(Network);

        var collection = new ServiceCollection();
        collection.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        collection.AddSingleton<TimeProvider>(Clock);
        collection.AddLogging(logging => logging.AddProvider(Logs));
        collection.AddApps().AddDeployments().AddHealing(listenerCertificate: null);

        // Runtime, doubled where it reaches Docker, nginx and the network; its probe, verifier and database are the real ones.
        collection.AddSingleton<IContainerRuntime>(Containers);
        collection.AddSingleton<ITrafficRouter>(Router);
        collection.AddSingleton(new HttpProbe(http));
        collection.AddSingleton<TrafficVerifier>();
        collection.AddSingleton<AgentDatabase>();
        services = collection.BuildServiceProvider();
        subscription = Events.Subscribe();
    }

    public TestClock Clock { get; } = new();

    public LogRecorder Logs { get; } = new();

    public AgentOptions Options { get; }

    /// <summary>The options of <see cref="App"/>.</summary>
    public AppOptions Web => Options.Apps[App];

    public FakeContainerRuntime Containers { get; } = new();

    public FakeTrafficRouter Router { get; }

    public FakeNetwork Network { get; }

    public DeploymentEngine Engine => Get<DeploymentEngine>();

    public DeployRun DeployRun => Get<DeployRun>();

    public RollbackRun RollbackRun => Get<RollbackRun>();

    public AutoHealer Healer => Get<AutoHealer>();

    public StartupReconciler Reconciler => Get<StartupReconciler>();

    public TrafficMove Move => Get<TrafficMove>();

    public SlotAdmission Admission => Get<SlotAdmission>();

    public SlotCommands SlotCommands => Get<SlotCommands>();

    public ITrafficRepairObserver RepairObserver => Get<ITrafficRepairObserver>();

    public AgentDatabase Database => Get<AgentDatabase>();

    public DeploymentStore Store => Get<DeploymentStore>();

    public DeploymentJournal Journal => Get<DeploymentJournal>();

    public StandbyStore Standbys => Get<StandbyStore>();

    public IncidentStore Incidents => Get<IncidentStore>();

    public OpenIncidents OpenIncidents => Get<OpenIncidents>();

    public CheckResultStore Checks => Get<CheckResultStore>();

    public AppLocks Locks => Get<AppLocks>();

    public AgentEvents Events => Get<AgentEvents>();

    /// <summary>Every agent event published since the world was made.</summary>
    public IReadOnlyList<AgentEvent> Published
    {
        get
        {
            lock (published)
            {
                while (subscription.Reader.TryRead(out var agentEvent))
                {
                    published.Add(agentEvent);
                }

                return [.. published];
            }
        }
    }

    /// <summary>An app the tests can deploy: health and verify need 2 answers in a row, the standby is kept an hour.</summary>
    public static AppOptions NewApp(string repository, int bluePort, int greenPort, string verifyUrl = "") => new()
    {
        Image = repository,
        BluePort = bluePort,
        GreenPort = greenPort,
        Health =
        {
            Path = "/health",
            Interval = TimeSpan.FromSeconds(1),
            Timeout = TimeSpan.FromSeconds(2),
            SuccessesNeeded = 2,
            StartTimeout = TimeSpan.FromSeconds(30),
        },
        Verify = { Url = verifyUrl, Interval = TimeSpan.FromMilliseconds(200), SuccessesNeeded = 2, Timeout = TimeSpan.FromSeconds(5) },
        KeepStandbyFor = TimeSpan.FromHours(1),
    };

    /// <summary>The image <paramref name="tag"/> of <see cref="App"/>'s repository in the fake registry.</summary>
    public FakeImage Image(string tag) => Containers.Image($"{Repository}:{tag}");

    /// <summary>What stands in <see cref="App"/>'s slot now.</summary>
    public FakeContainer? InSlot(Slot slot) => Containers.InSlot(App, slot);

    /// <summary>
    /// A release of <see cref="App"/> put in a slot by an earlier agent: its deployment in the history (succeeded unless
    /// <paramref name="state"/> says otherwise) and its container; live when <paramref name="live"/>. A minute passes after it.
    /// </summary>
    /// <param name="repository">Where its image came from; <see cref="Repository"/> unless the test says otherwise.</param>
    public async Task<FakeContainer> GivenReleaseAsync(
        Slot slot,
        string tag,
        bool live = false,
        bool running = true,
        DeploymentState state = DeploymentState.Succeeded,
        string repository = Repository)
    {
        var image = Containers.Image($"{repository}:{tag}");
        var now = Clock.GetUtcNow();
        var id = OperationId.New(OperationKind.Deployment, Clock).Value;
        await Store.InsertAsync(
            new DeploymentRecord(id, App, DeploymentKind.Deploy, state, image.Reference, image.Digest, null, null, "seed", now,
                state == DeploymentState.Running ? null : now, null, slot.Name(), "seeded"),
            CancellationToken.None);
        var container = Containers.Place(App, slot, image.Reference, id, running);
        if (live)
        {
            Router.SetLive(App, slot);
        }

        Clock.Advance(TimeSpan.FromMinutes(1));
        return container;
    }

    /// <summary>v1 deployed to green, then v2 deployed to blue: v2 live, v1 its hot standby with a lease of an hour.</summary>
    public async Task<(FakeContainer V1, FakeContainer V2)> GivenV1StandbyAndV2LiveAsync(bool standbyRunning = true)
    {
        var v1 = await GivenReleaseAsync(Slot.Green, "v1", running: standbyRunning);
        var v2 = await GivenReleaseAsync(Slot.Blue, "v2", live: true);
        await Standbys.SetAsync(new StandbyLease(App, Slot.Green, Clock.GetUtcNow().AddHours(1)), CancellationToken.None);
        return (v1, v2);
    }

    /// <summary>One deploy of <see cref="App"/> as the engine launches it, run to its end on the test clock.</summary>
    public async Task<RunResult> DeployAsync(string tag, CancellationToken cancellationToken = default)
    {
        var image = AppImageResolver.Resolve(App, Web, tag);
        var record = NewRecord(DeploymentKind.Deploy, image.ToString(), image.Digest, null, null);
        await Journal.BeginAsync(record, CancellationToken.None);
        await Clock.DriveAsync(DeployRun.ExecuteAsync(record, image, cancellationToken));
        return await ResultOfAsync(record.Id);
    }

    /// <summary>One rollback of <see cref="App"/> from its live slot, as the engine launches it, run to its end on the test clock.</summary>
    public async Task<RunResult> RollbackAsync(CancellationToken cancellationToken = default)
    {
        var live = Router.LiveOf(App) ?? throw new InvalidOperationException("a rollback needs a live slot: seed one with GivenReleaseAsync(..., live: true)");
        var record = NewRecord(DeploymentKind.Rollback, "", null, live.Name(), live.Other().Name());
        var plan = await RollbackRun.PlanAsync(App, live, cancellationToken);
        await Journal.BeginAsync(record, CancellationToken.None);
        await Clock.DriveAsync(RollbackRun.ExecuteAsync(record, live, plan, cancellationToken));
        return await ResultOfAsync(record.Id);
    }

    /// <summary>Waits, on the test clock, for every run the engine launched to end.</summary>
    public Task EngineRunsEndAsync() => Clock.DriveAsync(Engine.StopAsync(CancellationToken.None));

    public async Task<RunResult> ResultOfAsync(string id)
    {
        var record = await Store.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"no deployment {id} in the store");
        return new RunResult(record, await Store.GetEventsAsync(id, CancellationToken.None));
    }

    /// <summary>
    /// Records <paramref name="times"/> failing live checks in a row, a check interval apart, and returns what the check
    /// run then hands auto-heal.
    /// </summary>
    public HealObservation LiveCheckFails(int times = 3, string app = App) => RecordLiveChecks(app, times, CheckStatus.Failing, "connection refused");

    public HealObservation LiveCheckPasses(string app = App) => RecordLiveChecks(app, 1, CheckStatus.Ok, "answered");

    /// <summary>Auto-heal acts on one observation, on the test clock.</summary>
    public Task HealAsync(HealObservation observation) => Clock.DriveAsync(Healer.HandleAsync(observation, CancellationToken.None));

    public Task ReconcileAsync() => Clock.DriveAsync(Reconciler.ReconcileAsync(CancellationToken.None));

    public void Dispose()
    {
        subscription.Dispose();
        services.Dispose();
        http.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection of a test still running may hold the file for a moment; the directory is temporary.
        }
    }

    private HealObservation RecordLiveChecks(string app, int times, CheckStatus status, string message)
    {
        CheckState? state = null;
        for (var i = 0; i < times; i++)
        {
            Clock.Advance(CheckInterval);
            state = Checks.Record(new CheckResult(CheckNames.Live(app), app, status, message, Clock.GetUtcNow(), TimeSpan.FromMilliseconds(5))).State;
        }

        return new HealObservation(app, Router.LiveOf(app), state);
    }

    private DeploymentRecord NewRecord(DeploymentKind kind, string image, string? digest, string? fromSlot, string? toSlot) =>
        new(OperationId.New(OperationKind.Deployment, Clock).Value, App, kind, DeploymentState.Running, image, digest, null, null, "test",
            Clock.GetUtcNow(), null, fromSlot, toSlot, null);

    /// <summary>
    /// On a RAM file system when there is one: SQLite syncs the file on its writes, which costs a deploy of fifteen
    /// recorded steps more than everything else it does here.
    /// </summary>
    private static string NewDatabaseDirectory() =>
        Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory(Path.Combine("/dev/shm", $"mizan-orchestration-{Guid.NewGuid():N}")).FullName
            : Directory.CreateTempSubdirectory("mizan-orchestration-").FullName;

    private T Get<T>()
        where T : notnull => services.GetRequiredService<T>();
}
