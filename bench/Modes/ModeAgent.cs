using Grpc.Core;
using Grpc.Net.Client;
using Mizan.Agent.V1;

namespace Mizan.Bench.Modes;

/// <summary>
/// One mizan-agent of the run, for one Traffic:Mode: its own directory (configuration, socket, SQLite, logs), one app
/// with free blue/green ports, its nginx site and, in Redirect mode, its own front ports and nftables table. Dispose
/// stops it by pid, removes the containers of its app (label mizan.app=APP) and deletes its table.
/// </summary>
public sealed class ModeAgent : IAsyncDisposable
{
    private readonly ChildProcess process;
    private readonly GrpcChannel channel;

    private ModeAgent(string mode, string app, NginxSite site, int bluePort, int greenPort, string table, string socketPath, ChildProcess process)
    {
        Mode = mode;
        App = app;
        Site = site;
        BluePort = bluePort;
        GreenPort = greenPort;
        Table = table;
        SocketPath = socketPath;
        this.process = process;
        channel = UnixSocketChannel.Create(socketPath);
        Client = new AgentService.AgentServiceClient(channel);
    }

    /// <summary>"Reload" or "Redirect".</summary>
    public string Mode { get; }

    public string App { get; }

    public NginxSite Site { get; }

    public int BluePort { get; }

    public int GreenPort { get; }

    /// <summary>Traffic:Table: written by the Redirect agent; the Reload agent names one too and never creates it.</summary>
    public string Table { get; }

    public string SocketPath { get; }

    public AgentService.AgentServiceClient Client { get; }

    public int PortOf(string slot) => slot == "blue" ? BluePort : GreenPort;

    /// <summary>The name the agent gives the container of a slot.</summary>
    public string ContainerName(string slot) => $"mizan-{App}-{slot}";

    public static async Task<ModeAgent> StartAsync(
        string mode,
        AgentBinary binary,
        BenchNginx nginx,
        NginxSite site,
        FastAppImages images,
        string directory,
        CancellationToken cancellationToken)
    {
        var app = $"bench-{mode.ToLowerInvariant()}-{ModesRun.Id}";
        var table = $"mizan_bench_{mode.ToLowerInvariant()}_{ModesRun.Id}";
        var socket = Path.Combine(directory, "agent.sock");
        var bluePort = FreePorts.Next();
        var greenPort = FreePorts.Next();
        var configFile = await AgentConfigFile.WriteAsync(
            new AgentConfigFile(mode, app, table, socket, bluePort, greenPort, nginx.ConfigFile, site, images.FullRepository),
            directory,
            cancellationToken);

        var child = ChildProcess.Start(
            binary.Program,
            [.. binary.LeadingArguments, "--config", configFile],
            Path.Combine(directory, "agent.out"),
            new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" },
            directory);
        var agent = new ModeAgent(mode, app, site, bluePort, greenPort, table, socket, child);
        try
        {
            await agent.WaitUntilAnsweringAsync(cancellationToken);
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }

    public async Task<AppSnapshot> SnapshotAsync(CancellationToken cancellationToken) => await AppSnapshot.ReadAsync(Client, App, cancellationToken);

    public Task<RecordedDeployment> DeployAsync(string tag, CancellationToken cancellationToken) =>
        DeployRoundsMeasurement.DeployAsync(Client, App, tag, cancellationToken);

    public Task<RecordedDeployment> RollbackAsync(CancellationToken cancellationToken) => RollbackMeasurement.RollbackAsync(Client, App, cancellationToken);

    /// <summary>
    /// Makes sure a rollback has somewhere to go: a running standby with the other release (which served before). When
    /// the standby slot is stopped (a `docker kill` round left it so), deploys the tag that is not live into it.
    /// </summary>
    public async Task<AppSnapshot> EnsureHotStandbyAsync(CancellationToken cancellationToken)
    {
        await WaitIdleAsync(cancellationToken);
        var now = await SnapshotAsync(cancellationToken);
        if (now.StandbyState == "running" && FastAppImages.TagOf(now.StandbyImage) is { } standby && standby != FastAppImages.TagOf(now.LiveImage))
        {
            return now;
        }

        var tag = FastAppImages.Other(FastAppImages.TagOf(now.LiveImage) ?? FastAppImages.Tags[1]);
        var deploy = await DeployAsync(tag, cancellationToken);
        return deploy.Succeeded
            ? await SnapshotAsync(cancellationToken)
            : throw new InvalidOperationException(
                $"{Mode}: deploying {tag} to get a hot standby did not succeed: {deploy.Outcome}{Environment.NewLine}{process.Tail()}");
    }

    /// <summary>Waits until no deploy, rollback or auto-heal holds the app's lock.</summary>
    public Task WaitIdleAsync(CancellationToken cancellationToken) =>
        Eventually.TrueAsync(
            async token =>
            {
                var status = await Client.GetStatusAsync(new GetStatusRequest { App = App }, deadline: Deadline(), cancellationToken: token);
                return status.Apps.Single().RunningDeploymentId.Length == 0;
            },
            TimeSpan.FromMinutes(2),
            () => $"{Mode}: no deployment running for {App}",
            cancellationToken,
            TimeSpan.FromMilliseconds(50));

    /// <summary>The self-check of the live slot has passed since <paramref name="since"/>, so a kill is noticed by a fresh check.</summary>
    public Task WaitForLiveCheckAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Eventually.TrueAsync(
            async token =>
            {
                var health = await Client.GetHealthAsync(new GetHealthRequest { App = App }, deadline: Deadline(), cancellationToken: token);
                return health.Checks.Any(c => c.Name == $"app:{App}:live" && c.Status == CheckStatus.Ok && c.At.ToDateTimeOffset() >= since)
                    && health.OpenIncidents.Count == 0;
            },
            TimeSpan.FromMinutes(1),
            () => $"{Mode}: a passing check of {App}'s live slot and no open incident",
            cancellationToken,
            TimeSpan.FromMilliseconds(100));

    /// <summary>A deployment with its events (GetDeployment), for the steps' duration_ms.</summary>
    public async Task<Deployment> LatestDeploymentAsync(CancellationToken cancellationToken)
    {
        var list = await Client.ListDeploymentsAsync(
            new ListDeploymentsRequest { App = App, Limit = 1 }, deadline: Deadline(), cancellationToken: cancellationToken);
        var latest = list.Deployments.FirstOrDefault() ?? throw new InvalidOperationException($"{Mode}: {App} has no deployment");
        return await Client.GetDeploymentAsync(new GetDeploymentRequest { Id = latest.Id }, deadline: Deadline(), cancellationToken: cancellationToken);
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(10);

    public string OutputTail(int lines = 30) => process.Tail(lines);

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        channel.Dispose();
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var listed = await ModesRun.DockerAsync(["ps", "--all", "--quiet", "--no-trunc", "--filter", $"label=mizan.app={App}"], cleanup.Token);
        var ids = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length > 0)
        {
            await ModesRun.DockerAsync(["rm", "--force", "--volumes", .. ids], cleanup.Token);
        }

        // A table that is not there (the Reload agent's) is fine.
        await ProcessRunner.RunAsync("nft", ["delete", "table", "ip", Table], cleanup.Token, TimeSpan.FromSeconds(10));
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken) =>
        await Eventually.TrueAsync(
            async token =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"mizan-agent ({Mode}) exited before answering:{Environment.NewLine}{process.Tail()}");
                }

                if (!File.Exists(SocketPath))
                {
                    return false;
                }

                try
                {
                    await Client.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: token);
                    return true;
                }
                catch (RpcException exception) when (exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            () => $"mizan-agent ({Mode}) to answer on {SocketPath}:{Environment.NewLine}{process.Tail()}",
            cancellationToken,
            TimeSpan.FromMilliseconds(100));
}
