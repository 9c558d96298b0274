namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// A self-contained nginx configuration in a fresh temp dir: nginx.conf, upstreams/, sites/, logs, temp paths
/// and pid file all inside it, one site on a free 127.0.0.1 port proxying to one upstream.
/// The same directory serves a host nginx (<see cref="TestNginx"/>) and a containerised one
/// (<see cref="NginxContainer"/>, which bind-mounts it at the same path).
/// </summary>
public sealed class NginxConfigDirectory : IDisposable
{
    /// <summary>The upstream file's content before the agent's first switch.</summary>
    /// <remarks>
    /// nginx refuses a configuration whose proxy_pass names an upstream no file defines ("host not found in
    /// upstream"), so `nginx -t` — the agent's and ours — would fail before the first deploy. An operator
    /// bootstraps the same way: the upstream exists from the start and points at a closed port (port 1 is
    /// refused at once, so nginx answers 502 until the agent writes the real file).
    /// </remarks>
    public static string PlaceholderUpstream(string upstreamName) =>
        $"# placeholder written by the integration tests; the agent replaces it on its first switch{Environment.NewLine}" +
        $"upstream {upstreamName} {{ server 127.0.0.1:1; }}{Environment.NewLine}";

    private readonly TempDirectory directory;

    public NginxConfigDirectory(string appName, string upstreamName)
    {
        this.directory = new TempDirectory("nginx");
        AppName = appName;
        UpstreamName = upstreamName;
        Port = FreePorts.Next();
        UpstreamsDirectory = this.directory.CreateSubdirectory("upstreams");
        SitesDirectory = this.directory.CreateSubdirectory("sites");
        this.directory.CreateSubdirectory("tmp");
        File.WriteAllText(ConfigFile, RenderMainConfig());
        File.WriteAllText(Path.Combine(SitesDirectory, $"{appName}.conf"), RenderSite());
        File.WriteAllText(UpstreamFile, PlaceholderUpstream(upstreamName));
    }

    public string Directory => this.directory.Path;

    public string AppName { get; }

    public string UpstreamName { get; }

    /// <summary>The port the site listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    public string ConfigFile => this.directory.Combine("nginx.conf");

    public string PidFile => this.directory.Combine("nginx.pid");

    public string ErrorLog => this.directory.Combine("error.log");

    public string UpstreamsDirectory { get; }

    public string SitesDirectory { get; }

    /// <summary>The file the agent owns (Upstream.File in its configuration).</summary>
    public string UpstreamFile => Path.Combine(UpstreamsDirectory, $"{AppName}.conf");

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string ReadUpstreamFile() => File.ReadAllText(UpstreamFile);

    /// <summary>Drops a file into sites/ that `nginx -t` rejects; returns its path.</summary>
    public string BreakConfig()
    {
        var path = Path.Combine(SitesDirectory, "zz-broken.conf");
        File.WriteAllText(path, "this_is_not_an_nginx_directive on;\n");
        return path;
    }

    public void RepairConfig() => File.Delete(Path.Combine(SitesDirectory, "zz-broken.conf"));

    public string ReadErrorLog() => File.Exists(ErrorLog) ? File.ReadAllText(ErrorLog) : "";

    public void Dispose() => this.directory.Dispose();

    private string RenderMainConfig()
    {
        var tmp = this.directory.Combine("tmp");
        return $$"""
            # nginx of one integration test; everything it writes stays in {{Directory}}
            user root;
            worker_processes 1;
            pid {{PidFile}};
            error_log {{ErrorLog}} info;

            events {
                worker_connections 1024;
            }

            http {
                access_log {{this.directory.Combine("access.log")}};
                client_body_temp_path {{tmp}}/body;
                proxy_temp_path {{tmp}}/proxy;
                fastcgi_temp_path {{tmp}}/fastcgi;
                uwsgi_temp_path {{tmp}}/uwsgi;
                scgi_temp_path {{tmp}}/scgi;

                include {{UpstreamsDirectory}}/*.conf;
                include {{SitesDirectory}}/*.conf;
            }

            """;
    }

    private string RenderSite() => $$"""
        server {
            listen 127.0.0.1:{{Port}};
            location / {
                proxy_pass http://{{UpstreamName}};
                proxy_connect_timeout 2s;
                proxy_read_timeout 10s;
                # The agent's verify step reads this header to know which slot answered.
                add_header X-Mizan-Upstream $upstream_addr always;
            }
        }

        """;
}
