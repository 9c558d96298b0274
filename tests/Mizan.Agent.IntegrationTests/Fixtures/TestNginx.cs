using System.Diagnostics;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// A host nginx master of one test (`nginx -c DIR/nginx.conf -g 'daemon off;'`, a child of the test process),
/// serving <see cref="NginxConfigDirectory"/>. Dispose stops it by pid.
/// </summary>
public sealed class TestNginx : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly Process master;

    private TestNginx(NginxConfigDirectory config, Process master)
    {
        Config = config;
        this.master = master;
        Client = new NginxClient(config.BaseAddress);
    }

    public NginxConfigDirectory Config { get; }

    public NginxClient Client { get; }

    public int MasterPid => this.master.Id;

    public static async Task<TestNginx> StartAsync(string appName, string upstreamName, CancellationToken cancellationToken)
    {
        var config = new NginxConfigDirectory(appName, upstreamName);
        (await ProcessRunner.RunAsync(Binary, ["-t", "-c", config.ConfigFile], cancellationToken, TimeSpan.FromSeconds(10))).EnsureSuccess();
        var startInfo = new ProcessStartInfo(Binary)
        {
            ArgumentList = { "-c", config.ConfigFile, "-g", "daemon off;" },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var master = Process.Start(startInfo) ?? throw new InvalidOperationException("nginx did not start");
        master.BeginOutputReadLine();
        master.BeginErrorReadLine();
        var nginx = new TestNginx(config, master);
        try
        {
            await Eventually.TrueAsync(
                async token => master.HasExited
                    ? throw new InvalidOperationException($"nginx exited with {master.ExitCode}: {config.ReadErrorLog()}")
                    : await nginx.Client.AnswersAsync(token),
                TimeSpan.FromSeconds(10),
                () => $"nginx to answer on {config.BaseAddress}",
                cancellationToken);
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }

        return nginx;
    }

    /// <summary>The master's worker processes now (children of the master, from /proc): a reload replaces them.</summary>
    public IReadOnlySet<int> WorkerPids()
    {
        var workers = new SortedSet<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), System.Globalization.CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "PID (COMM) STATE PPID ...": COMM may hold spaces, so read after its closing parenthesis.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == MasterPid)
                {
                    workers.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return workers;
    }

    /// <summary>
    /// How many reloads the master has begun: its error log (level info) says "PID#PID: reconfiguring" once per reload,
    /// after "signal 1 (SIGHUP) received from PID, reconfiguring".
    /// </summary>
    public int ReloadCount() =>
        Config.ReadErrorLog().Split('\n').Count(line => line.TrimEnd().EndsWith(": reconfiguring", StringComparison.Ordinal));

    /// <summary>GET through nginx without keep-alive.</summary>
    public Task<ServedResponse> GetAsync(string path, CancellationToken cancellationToken) => Client.GetAsync(path, cancellationToken);

    public string BreakConfig() => Config.BreakConfig();

    /// <summary>`nginx -t` of this instance's configuration.</summary>
    public Task<ProcessResult> TestConfigAsync(CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Binary, ["-t", "-c", Config.ConfigFile], cancellationToken, TimeSpan.FromSeconds(10));

    /// <summary>Stops the master (SIGTERM, as `systemctl stop nginx` does) and waits until it is gone; Dispose still cleans up.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!this.master.HasExited)
        {
            Signals.Send(this.master.Id, Signals.Term);
            await this.master.WaitForExitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!this.master.HasExited)
        {
            // SIGTERM: fast shutdown of the master and its workers; SIGKILL of the tree if it lingers.
            Signals.Send(this.master.Id, Signals.Term);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await this.master.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                this.master.Kill(entireProcessTree: true);
            }
        }

        this.master.Dispose();
        Config.Dispose();
    }
}
