using Grpc.Core;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// One test's world, so a scenario reads as a story: a registry with the test app's images, an nginx of its own,
/// an agent with one app (unique name, free ports) and helpers to deploy and to look at what is served.
/// Everything is created in the test and removed after it.
/// </summary>
public abstract class IntegrationTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    public static readonly TimeSpan TestDeadline = TimeSpan.FromMinutes(3);

    private readonly CancellationTokenSource deadline = new(TestDeadline);
    private readonly TempDirectory agentDirectory = new("agent");
    private TestRegistry? privateRegistry;
    private TestNginx? hostNginx;
    private NginxContainer? nginxContainer;
    private AgentProcess? agent;
    private AgentConfig? writtenConfig;

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Cancelled when the test runs past <see cref="TestDeadline"/>.</summary>
    protected CancellationToken Token => this.deadline.Token;

    protected string AppName { get; } = AgentConfigBuilder.NewAppName();

    protected TestRegistry Registry { get; private set; } = null!;

    protected NginxConfigDirectory Nginx => hostNginx?.Config ?? nginxContainer?.Config ?? throw NotStarted();

    protected TestNginx HostNginx => hostNginx ?? throw NotStarted();

    protected NginxContainer NginxContainer => nginxContainer ?? throw NotStarted();

    protected AgentProcess Agent => this.agent ?? throw NotStarted();

    protected AgentConfig Config => Agent.Config;

    protected AgentService.AgentServiceClient Client => Agent.Client;

    protected MizanCtl Ctl => MizanCtl.Local(Config.SocketPath);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Registry (shared, or private when the test stops it or it requires <paramref name="registryLogin"/>), nginx, then the agent.</summary>
    /// <param name="configure">Runs after the registry started: <see cref="Registry"/> may be used in it.</param>
    protected async Task StartAsync(
        NginxKind nginx = NginxKind.Host,
        bool privateRegistry = false,
        Action<AgentConfigBuilder>? configure = null,
        RegistryLogin? registryLogin = null)
    {
        if (privateRegistry || registryLogin is not null)
        {
            this.privateRegistry = await TestRegistry.StartAsync(Token, registryLogin);
            Registry = this.privateRegistry;
        }
        else
        {
            Registry = await SharedTestRegistry.GetAsync(Token);
        }

        var builder = new AgentConfigBuilder(AppName).WithImageRepository($"{Registry.Host}/{TestImages.Repository}");
        var upstreamName = $"{AppName}_backend";
        switch (nginx)
        {
            case NginxKind.Host:
                hostNginx = await TestNginx.StartAsync(AppName, upstreamName, Token);
                builder.WithHostNginx(hostNginx.Config);
                break;
            default:
                nginxContainer = await NginxContainer.StartAsync(AppName, upstreamName, Token);
                builder.WithNginxContainer(nginxContainer, byLabel: nginx == NginxKind.ContainerByLabel);
                break;
        }

        configure?.Invoke(builder);
        var config = builder.WriteTo(agentDirectory);
        writtenConfig = config;
        Output.WriteLine($"app {AppName}: blue {config.BluePort}, green {config.GreenPort}, nginx {Nginx.BaseAddress}, registry {Registry.Host}"
            + (config.TrafficTable is null ? "" : $", front ports {config.FrontPort}-{config.BackupFrontPort}, nftables table ip {config.TrafficTable}"));
        this.agent = await AgentProcess.StartAsync(config, Token);
    }

    protected Task<PushedImage> ImageAsync(AppVariant variant) => TestImages.PushAsync(variant, Registry, Token);

    /// <summary>Pushes the variant, deploys it by tag and reads the event stream to its end.</summary>
    protected async Task<DeployOutcome> DeployAsync(AppVariant variant)
    {
        var image = await ImageAsync(variant);
        return await DeployAsync(image.Tag);
    }

    protected async Task<DeployOutcome> DeployAsync(string image, string? app = null, AgentService.AgentServiceClient? client = null)
    {
        Output.WriteLine($"deploy {app ?? AppName} {image}");
        using var call = (client ?? Client).Deploy(
            new DeployRequest { App = app ?? AppName, Image = image, CommitSha = "0123456789abcdef", RequestedBy = "integration-test" },
            deadline: EventStreams.Deadline(),
            cancellationToken: Token);
        var outcome = await EventStreams.ReadToEndAsync(call, Token);
        Output.WriteLine(outcome.ToString());
        return outcome;
    }

    /// <summary>Starts a deploy and returns at once; the stream is read in the background.</summary>
    protected async Task<DeployCall> StartDeployAsync(AppVariant variant)
    {
        var image = await ImageAsync(variant);
        Output.WriteLine($"deploy {AppName} {image.Tag} (in the background)");
        var call = Client.Deploy(
            new DeployRequest { App = AppName, Image = image.Tag, RequestedBy = "integration-test" },
            deadline: EventStreams.Deadline(),
            cancellationToken: Token);
        return new DeployCall(call, Token);
    }

    protected async Task<DeployOutcome> WatchAsync(string deploymentId)
    {
        Output.WriteLine($"watch {deploymentId}");
        using var call = Client.WatchDeployment(new WatchDeploymentRequest { Id = deploymentId }, deadline: EventStreams.Deadline(), cancellationToken: Token);
        var outcome = await EventStreams.ReadToEndAsync(call, Token);
        Output.WriteLine(outcome.ToString());
        return outcome;
    }

    protected async Task<DeployOutcome> RollbackAsync()
    {
        Output.WriteLine($"rollback {AppName}");
        using var call = Client.Rollback(
            new RollbackRequest { App = AppName, RequestedBy = "integration-test" },
            deadline: EventStreams.Deadline(),
            cancellationToken: Token);
        var outcome = await EventStreams.ReadToEndAsync(call, Token);
        Output.WriteLine(outcome.ToString());
        return outcome;
    }

    /// <summary>Deploys and fails the test, with the events and the agent's log, unless the deploy SUCCEEDED.</summary>
    protected async Task<DeployOutcome> DeploySucceedsAsync(AppVariant variant)
    {
        var outcome = await DeployAsync(variant);
        AssertState(outcome, DeploymentState.Succeeded);
        return outcome;
    }

    protected void AssertState(DeployOutcome outcome, DeploymentState expected) =>
        Assert.True(outcome.State == expected, $"Expected {expected}, got {outcome}{Environment.NewLine}{AgentLogTail()}");

    /// <summary>GET through the test's nginx without keep-alive.</summary>
    protected Task<ServedResponse> ServedAsync(string path = "/") => NginxHttp.GetAsync(path, Token);

    protected NginxClient NginxHttp => hostNginx?.Client ?? nginxContainer?.Client ?? throw NotStarted();

    /// <summary>Asserts that nginx serves <paramref name="body"/> from <paramref name="slot"/>'s port, on several fresh connections.</summary>
    protected async Task AssertServesAsync(string body, string slot)
    {
        for (var probe = 0; probe < 3; probe++)
        {
            var served = await ServedAsync();
            Assert.True(
                served.Status == System.Net.HttpStatusCode.OK && served.Body == body && served.Upstream == $"127.0.0.1:{Config.PortOf(slot)}",
                $"Expected 200 '{body}' from {slot} (127.0.0.1:{Config.PortOf(slot)}), nginx answered {served}");
        }
    }

    protected string ReadUpstreamFile() => File.ReadAllText(Config.UpstreamFile);

    /// <summary>Traffic:Mode Redirect: front port to slot port, as the kernel holds this test's table now (empty when it has none).</summary>
    protected Task<IReadOnlyDictionary<int, int>> RedirectsAsync() =>
        TrafficTables.RedirectsAsync(Config.TrafficTable ?? throw new InvalidOperationException("the test has no nftables table (WithRedirect)"), Token);

    /// <summary>Asserts that <paramref name="redirects"/> (the kernel's now, when null) send all traffic to <paramref name="slot"/>.</summary>
    protected async Task<IReadOnlyDictionary<int, int>> AssertAllTrafficToAsync(string slot, IReadOnlyDictionary<int, int>? redirects = null)
    {
        redirects ??= await RedirectsAsync();
        var differs = Config.DiffersFromAllTrafficTo(slot, redirects);
        Assert.True(differs is null, $"the nftables table must send all traffic to {slot}: {differs}");
        return redirects;
    }

    /// <summary>`nft -j list table ip TABLE` of this test's table, or null when there is none.</summary>
    protected Task<string?> ListTableJsonAsync() =>
        TrafficTables.ListJsonAsync(Config.TrafficTable ?? throw new InvalidOperationException("the test has no nftables table (WithRedirect)"), Token);

    /// <summary>
    /// The host nginx's one worker, once a reload's old worker has gone (it finishes its open connections first): a
    /// later reload would replace it.
    /// </summary>
    protected async Task<int> SettledNginxWorkerAsync()
    {
        var workers = await Eventually.ValueAsync(
            _ => Task.FromResult(HostNginx.WorkerPids()),
            pids => pids.Count == 1,
            TimeSpan.FromSeconds(30),
            pids => $"nginx (master {HostNginx.MasterPid}) to have one worker, not [{string.Join(", ", pids ?? new HashSet<int>())}]",
            Token);
        return workers.Single();
    }

    /// <summary>docker inspect of the agent's container for <paramref name="slot"/> (mizan-APP-SLOT), null when there is none.</summary>
    protected Task<ContainerSnapshot?> ContainerAsync(string slot) => DockerCli.InspectContainerAsync(Config.ContainerName(slot), Token);

    /// <summary>All containers labelled mizan.app=APP.</summary>
    protected async Task<IReadOnlyList<ContainerSnapshot>> AppContainersAsync()
    {
        var ids = await DockerCli.ContainerIdsWithLabelAsync(Config.ContainerLabel, Token);
        var containers = new List<ContainerSnapshot>();
        foreach (var id in ids)
        {
            if (await DockerCli.InspectContainerAsync(id, Token) is { } container)
            {
                containers.Add(container);
            }
        }

        return containers;
    }

    protected async Task<AppStatus> StatusAsync()
    {
        var response = await Client.GetStatusAsync(
            new GetStatusRequest { App = AppName },
            deadline: EventStreams.Deadline(TimeSpan.FromSeconds(10)),
            cancellationToken: Token);
        return Assert.Single(response.Apps, a => a.App == AppName);
    }

    protected async Task<GetHealthResponse> HealthAsync(string app = "") =>
        await Client.GetHealthAsync(new GetHealthRequest { App = app }, deadline: EventStreams.Deadline(TimeSpan.FromSeconds(10)), cancellationToken: Token);

    /// <summary>The latest result of one check (e.g. "app:APP:live"), or null before its first run.</summary>
    protected async Task<CheckResult?> CheckAsync(string name) =>
        (await HealthAsync()).Checks.FirstOrDefault(check => check.Name == name);

    /// <summary>Waits until the check <paramref name="name"/> reports <paramref name="status"/>.</summary>
    protected async Task<CheckResult> CheckReachesAsync(string name, CheckStatus status, TimeSpan deadline) =>
        (await Eventually.ValueAsync(
            async _ => await CheckAsync(name),
            check => check?.Status == status,
            deadline,
            last => $"check {name} to be {status}; last: {last?.Status} {last?.Message}{Environment.NewLine}{AgentLogTail(30)}",
            Token))!;

    /// <summary>The app's incidents, oldest first, read from the agent's database.</summary>
    protected Task<IReadOnlyList<IncidentRow>> IncidentsAsync() => IncidentRow.ReadAsync(Config.DataDirectory, AppName, Token);

    /// <summary>The app's grpc.health.v1 status (the service name is the app's name).</summary>
    /// <summary>
    /// Waits until the app's grpc health service reports <paramref name="status"/>. A check result can be read a moment
    /// before the serving status follows it, and a live check stays "ok" from before the first deploy ("never live").
    /// </summary>
    protected Task AppServingReachesAsync(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus status, TimeSpan deadline) =>
        Eventually.TrueAsync(
            async _ => await AppServingStatusAsync() == status,
            deadline,
            () => $"grpc health of {AppName} to be {status}{Environment.NewLine}{AgentLogTail(20)}",
            Token);

    protected async Task<Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus> AppServingStatusAsync()
    {
        using var channel = UnixSocketChannel.Create(Config.SocketPath);
        var response = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(
            new Grpc.Health.V1.HealthCheckRequest { Service = AppName },
            deadline: DateTime.UtcNow.AddSeconds(10),
            cancellationToken: Token);
        return response.Status;
    }

    protected async Task<Deployment> GetDeploymentAsync(string id) =>
        await Client.GetDeploymentAsync(
            new GetDeploymentRequest { Id = id },
            deadline: EventStreams.Deadline(TimeSpan.FromSeconds(10)),
            cancellationToken: Token);

    /// <summary>Asserts that <paramref name="action"/> fails with an RpcException of <paramref name="expected"/> status.</summary>
    protected static async Task<RpcException> AssertRpcFailsAsync(StatusCode expected, Func<Task> action)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(action);
        Assert.True(exception.StatusCode == expected, $"Expected {expected}, got {exception.StatusCode}: {exception.Status.Detail}");
        return exception;
    }

    protected string AgentLogTail(int lines = 60) =>
        this.agent is null
            ? "(agent not started)"
            : $"--- agent output (last {lines} lines) ---{Environment.NewLine}{this.agent.Output.Tail(lines)}";

    public virtual async Task DisposeAsync()
    {
        if (this.agent is not null)
        {
            TryWriteOutput($"--- agent output ---{Environment.NewLine}{this.agent.Output.Text}");
            await this.agent.DisposeAsync();
        }

        // The agent is gone (killed), so nothing re-creates its table: the test deletes it (RunCleanup would at the run's end).
        if (writtenConfig?.TrafficTable is { } table)
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await TrafficTables.DeleteAsync(table, cleanup.Token);
        }

        if (hostNginx is not null)
        {
            TryWriteOutput($"--- nginx error.log ---{Environment.NewLine}{hostNginx.Config.ReadErrorLog()}");
            await hostNginx.DisposeAsync();
        }

        if (nginxContainer is not null)
        {
            await nginxContainer.DisposeAsync();
        }

        if (this.privateRegistry is not null)
        {
            await this.privateRegistry.DisposeAsync();
        }

        agentDirectory.Dispose();
        this.deadline.Dispose();
    }

    private void TryWriteOutput(string text)
    {
        try
        {
            Output.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // The runner no longer takes output for this test.
        }
    }

    private static InvalidOperationException NotStarted() => new("Call StartAsync first");
}
