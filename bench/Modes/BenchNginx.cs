namespace Mizan.Bench.Modes;

/// <summary>One server block of the bench's nginx: its port on 127.0.0.1 and the upstream file it proxies through.</summary>
public sealed record NginxSite(string Name, string UpstreamName, int Port, string UpstreamFile)
{
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
}

/// <summary>
/// The run's host nginx (`nginx -c DIR/nginx.conf -g 'daemon off;'`, a child of the bench): configuration, pid file,
/// logs and temp paths in the run's directory, one site per agent and one for the baseline script, each on a free
/// 127.0.0.1 port. An upstream starts as a placeholder (port 1 refuses at once) until its owner writes it.
/// </summary>
public sealed class BenchNginx : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly ChildProcess master;

    private BenchNginx(string configFile, ChildProcess master, IReadOnlyDictionary<string, NginxSite> sites)
    {
        ConfigFile = configFile;
        this.master = master;
        Sites = sites;
    }

    public string ConfigFile { get; }

    public IReadOnlyDictionary<string, NginxSite> Sites { get; }

    public static async Task<BenchNginx> StartAsync(
        string directory,
        IReadOnlyList<(string Name, string UpstreamName)> sites,
        CancellationToken cancellationToken)
    {
        var upstreams = Directory.CreateDirectory(Path.Combine(directory, "upstreams")).FullName;
        var servers = Directory.CreateDirectory(Path.Combine(directory, "sites")).FullName;
        var temp = Directory.CreateDirectory(Path.Combine(directory, "tmp")).FullName;
        var configFile = Path.Combine(directory, "nginx.conf");
        var made = new Dictionary<string, NginxSite>(StringComparer.Ordinal);
        foreach (var (name, upstreamName) in sites)
        {
            var site = new NginxSite(name, upstreamName, FreePorts.Next(), Path.Combine(upstreams, $"{name}.conf"));
            made[name] = site;
            await File.WriteAllTextAsync(site.UpstreamFile, $"upstream {upstreamName} {{ server 127.0.0.1:1; }}\n", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(servers, $"{name}.conf"), $$"""
                server {
                    listen 127.0.0.1:{{site.Port}};
                    location / {
                        proxy_pass http://{{upstreamName}};
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 10s;
                        # The agent's verify step reads this header to know which slot answered.
                        add_header X-Mizan-Upstream $upstream_addr always;
                    }
                }

                """, cancellationToken);
        }

        // One worker, as the integration tests run it: what a reload does to its keep-alive connections is the same with more.
        await File.WriteAllTextAsync(configFile, $$"""
            # nginx of one mizan-bench --modes run; everything it writes stays in {{directory}}
            user root;
            worker_processes 1;
            pid {{Path.Combine(directory, "nginx.pid")}};
            error_log {{Path.Combine(directory, "error.log")}} warn;

            events {
                worker_connections 4096;
            }

            http {
                access_log off;
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;

                include {{upstreams}}/*.conf;
                include {{servers}}/*.conf;
            }

            """, cancellationToken);
        (await ProcessRunner.RunAsync(Binary, ["-t", "-c", configFile], cancellationToken, TimeSpan.FromSeconds(10))).EnsureSuccess();
        var master = ChildProcess.Start(Binary, ["-c", configFile, "-g", "daemon off;"], Path.Combine(directory, "nginx.out"));
        var nginx = new BenchNginx(configFile, master, made);
        try
        {
            using var client = new NginxClient(made.Values.First().BaseAddress);
            await Eventually.TrueAsync(
                async token => master.HasExited
                    ? throw new InvalidOperationException($"nginx exited: {master.Tail()}")
                    : await client.AnswersAsync(token),
                TimeSpan.FromSeconds(10),
                () => "the bench's nginx to answer",
                cancellationToken);
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }

        return nginx;
    }

    /// <summary>
    /// Waits until the master has one worker again: after a reload the old worker finishes its open connections
    /// before it exits, and until then it may still answer from the old upstream.
    /// </summary>
    public Task WaitForOneWorkerAsync(CancellationToken cancellationToken) =>
        Eventually.TrueAsync(
            _ => Task.FromResult(WorkerCount() == 1),
            TimeSpan.FromSeconds(30),
            () => $"nginx (master {master.Pid}) to have one worker again; it has {WorkerCount()}",
            cancellationToken,
            TimeSpan.FromMilliseconds(5));

    public ValueTask DisposeAsync() => master.DisposeAsync();

    /// <summary>The master's children now, from /proc: its workers (no cache is configured, so no cache processes).</summary>
    private int WorkerCount()
    {
        var workers = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                // "PID (COMM) STATE PPID ...": COMM may hold spaces, so read after its closing parenthesis.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                workers += fields[1] == master.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) ? 1 : 0;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Not a process, or it ended while we looked.
            }
        }

        return workers;
    }
}
