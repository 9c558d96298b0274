namespace Mizan.Bench.Modes;

/// <summary>
/// Everything one `--modes` run sets up on 127.0.0.1, in a directory of its own under /tmp: the registry, the fast
/// app images, one host nginx with a site per agent and one for the baseline script, one agent per Traffic:Mode, and
/// an sshd of its own for the baseline script to run through, as CI ran it over SSH.
/// Dispose takes it all down again, each thing by its pid, name, label or table name, so nothing of anyone else's is touched.
/// </summary>
public sealed class ModesEnvironment : IAsyncDisposable
{
    private readonly string directory;
    private readonly bool keepLogs;
    private readonly List<IAsyncDisposable> started = [];

    private ModesEnvironment(string directory, bool keepLogs)
    {
        this.directory = directory;
        this.keepLogs = keepLogs;
    }

    public string Directory => directory;

    public FastAppImages Images { get; private set; } = null!;

    public BenchNginx Nginx { get; private set; } = null!;

    public IReadOnlyList<ModeAgent> Agents { get; private set; } = [];

    public BaselineScript Baseline { get; private set; } = null!;

    /// <param name="keepLogs">Leaves the run's directory (its logs and configurations); everything else still goes.</param>
    public static async Task<ModesEnvironment> StartAsync(AgentBinary binary, string baselineScript, bool keepLogs, CancellationToken cancellationToken)
    {
        var environment = new ModesEnvironment(System.IO.Directory.CreateTempSubdirectory($"mizan-bench-{ModesRun.Id}-").FullName, keepLogs);
        try
        {
            await environment.SetUpAsync(binary, baselineScript, cancellationToken);
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }

        return environment;
    }

    public ModeAgent Agent(string mode) => Agents.Single(a => a.Mode == mode);

    public async ValueTask DisposeAsync()
    {
        // sshd and the agents first (the agents would restart what is removed under them), nginx and the registry last.
        for (var i = started.Count - 1; i >= 0; i--)
        {
            try
            {
                await started[i].DisposeAsync();
            }
            catch (Exception exception) when (exception is InvalidOperationException or IOException or TimeoutException)
            {
                await Console.Error.WriteLineAsync($"mizan-bench: cleanup: {exception.Message}");
            }
        }

        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await BaselineScript.RemoveContainersAsync(cleanup.Token);
        await FastAppImages.RemoveAsync(cleanup.Token);
        if (keepLogs)
        {
            Console.WriteLine($"  kept {directory} (--keep-logs): remove it when done");
            return;
        }

        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"mizan-bench: cleanup: could not remove {directory}: {exception.Message}");
        }
    }

    private async Task SetUpAsync(AgentBinary binary, string baselineScript, CancellationToken cancellationToken)
    {
        var registry = await LocalRegistry.StartAsync(Subdirectory("registry"), cancellationToken);
        started.Add(registry);
        Images = await FastAppImages.BuildAsync(Subdirectory("images"), registry, cancellationToken);
        Console.WriteLine($"  registry on {registry.Host}, images {string.Join(", ", FastAppImages.Tags.Select(Images.Reference))}");

        Nginx = await BenchNginx.StartAsync(
            Subdirectory("nginx"),
            [("reload", "bench_reload"), ("redirect", "bench_redirect"), ("baseline", "mizan_baseline")],
            cancellationToken);
        started.Add(Nginx);
        Console.WriteLine($"  nginx: {string.Join(", ", Nginx.Sites.Values.Select(s => $"{s.Name} on {s.BaseAddress}"))}");

        var agents = new List<ModeAgent>();
        foreach (var mode in new[] { "Reload", "Redirect" })
        {
            var agent = await ModeAgent.StartAsync(
                mode, binary, Nginx, Nginx.Sites[mode.ToLowerInvariant()], Images, Subdirectory($"agent-{mode.ToLowerInvariant()}"), cancellationToken);
            started.Add(agent);
            agents.Add(agent);
            // The first deploy of each tag pulls it; every deploy after finds it pulled. Two deploys leave a hot standby.
            foreach (var tag in FastAppImages.Tags)
            {
                var deploy = await agent.DeployAsync(tag, cancellationToken);
                if (!deploy.Succeeded)
                {
                    throw new InvalidOperationException(
                        $"{mode}: the first deploy of {tag} did not succeed: {deploy.Outcome}{Environment.NewLine}{agent.OutputTail()}");
                }
            }

            Console.WriteLine($"  {mode} agent: app {agent.App}, slots {agent.BluePort}/{agent.GreenPort}, socket {agent.SocketPath}" +
                (mode == "Redirect" ? $", table ip {agent.Table}" : ""));
        }

        Agents = agents;
        var sshd = await BenchSshd.StartAsync(Subdirectory("sshd"), cancellationToken);
        started.Add(sshd);
        Console.WriteLine($"  sshd on 127.0.0.1:{sshd.Port} (its own host key, client key and configuration; pid file and log in the run's directory)");
        Baseline = await BaselineScript.PrepareAsync(
            baselineScript, Subdirectory("baseline"), Nginx, Nginx.Sites["baseline"], sshd, cancellationToken);
    }

    private string Subdirectory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(directory, name)).FullName;
}
