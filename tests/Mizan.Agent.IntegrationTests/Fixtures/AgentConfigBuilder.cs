using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// Writes the agent JSON (schema: packaging/agent.example.json) for one test: one app with a unique name,
/// free blue/green ports, short health and verify intervals, everything the agent writes inside a fresh temp dir.
/// </summary>
public sealed class AgentConfigBuilder
{
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);
    private readonly List<string> volumes = [];
    private readonly Dictionary<string, RegistryLogin> registries = new(StringComparer.Ordinal);
    private string envFile = "";
    private string? dockerConfigPath;
    private string imageRepository = "";
    private NginxConfigDirectory? nginx;
    private string nginxMode = "Host";
    private string nginxContainerName = "";
    private string nginxContainerLabel = "";
    private TimeSpan healthInterval = TimeSpan.FromMilliseconds(150);
    private TimeSpan healthStartTimeout = TimeSpan.FromSeconds(10);
    private int healthSuccessesNeeded = 2;
    private TimeSpan verifyTimeout = TimeSpan.FromSeconds(6);
    private TimeSpan keepStandbyFor = TimeSpan.FromHours(1);
    private string dockerEndpoint = "unix:///var/run/docker.sock";
    private string nginxBinary = TestNginx.Binary;
    private readonly List<TrustedClientEntry> trustedClients = [];
    private int mutationsPerMinute = 30;
    private int? auditedRefusalsPerMinute;
    private int? tcpMaxConnections;
    private readonly JsonArray webhooks = [];
    private bool prometheus;
    private TimeSpan? checksInterval;
    private int? failuresBeforeAction;
    private bool autoHealEnabled = true;
    private TimeSpan? retentionInterval;
    private int? keepImages;
    private TimeSpan? keepHistoryFor;
    private readonly List<string> allowedRepositories = [];
    private JsonObject? container;
    private string? trafficMode;
    private int frontPortCount;

    public AgentConfigBuilder(string appName)
    {
        AppName = appName;
    }

    public string AppName { get; }

    /// <summary>A name the agent accepts as an app name: "t" and 8 hex digits.</summary>
    public static string NewAppName() => "t" + TestRun.NewShortId();

    /// <summary>Apps.X.Image: the repository, e.g. "127.0.0.1:PORT/mizan-test-app".</summary>
    public AgentConfigBuilder WithImageRepository(string repository)
    {
        imageRepository = repository;
        return this;
    }

    /// <summary>Host mode: the agent runs /usr/sbin/nginx -t / -s reload with this nginx's config file.</summary>
    public AgentConfigBuilder WithHostNginx(NginxConfigDirectory nginx)
    {
        this.nginx = nginx;
        nginxMode = "Host";
        return this;
    }

    /// <summary>Container mode: the agent finds the nginx container by name (or by label when <paramref name="byLabel"/>).</summary>
    public AgentConfigBuilder WithNginxContainer(NginxContainer container, bool byLabel = false)
    {
        this.nginx = container.Config;
        nginxMode = "Container";
        nginxContainerName = byLabel ? "" : container.Name;
        nginxContainerLabel = byLabel ? container.FindLabel : "";
        return this;
    }

    public AgentConfigBuilder WithEnvironment(string name, string value)
    {
        this.environment[name] = value;
        return this;
    }

    /// <summary>Apps.X.EnvFile: a KEY=VALUE file the agent reads at each start.</summary>
    public AgentConfigBuilder WithEnvFile(string path)
    {
        envFile = path;
        return this;
    }

    /// <summary>Adds to Apps.X.Volumes: "source:/container/path[:ro|rw]".</summary>
    public AgentConfigBuilder WithVolume(string bind)
    {
        volumes.Add(bind);
        return this;
    }

    /// <summary>Registries[]: the login the agent pulls from <paramref name="registryHost"/> with.</summary>
    public AgentConfigBuilder WithRegistryCredentials(string registryHost, RegistryLogin login)
    {
        this.registries[registryHost] = login;
        return this;
    }

    /// <summary>Security.MutationsPerMinute: changing calls allowed per caller per minute.</summary>
    public AgentConfigBuilder WithMutationsPerMinute(int perMinute)
    {
        mutationsPerMinute = perMinute;
        return this;
    }

    /// <summary>Security.AuditedRefusalsPerMinute: refusals per caller per minute written one by one (the agent's default, 10, when not called).</summary>
    public AgentConfigBuilder WithAuditedRefusalsPerMinute(int perMinute)
    {
        auditedRefusalsPerMinute = perMinute;
        return this;
    }

    /// <summary>Security.Tcp.MaxConnections: connections the mutual-TLS listener holds at once.</summary>
    public AgentConfigBuilder WithTcpMaxConnections(int maxConnections)
    {
        tcpMaxConnections = maxConnections;
        return this;
    }

    /// <summary>Agent.DockerEndpoint: e.g. a socket where no engine listens.</summary>
    public AgentConfigBuilder WithDockerEndpoint(string endpoint)
    {
        dockerEndpoint = endpoint;
        return this;
    }

    /// <summary>Nginx.Binary (Host mode): e.g. a path where no nginx is installed.</summary>
    public AgentConfigBuilder WithNginxBinary(string binary)
    {
        nginxBinary = binary;
        return this;
    }

    /// <summary>Agent.DockerConfigPath: a Docker config.json of the caller's instead of the empty one written by default.</summary>
    public AgentConfigBuilder WithDockerConfigPath(string path)
    {
        dockerConfigPath = path;
        return this;
    }

    /// <summary>Security:Clients: trusts a client certificate; the agent then listens with mutual TLS on a free 127.0.0.1 port.</summary>
    /// <param name="role">"Viewer", "Deployer" or "Admin".</param>
    public AgentConfigBuilder WithTrustedClient(string name, string role, IEnumerable<string> thumbprints, IEnumerable<string>? apps = null)
    {
        trustedClients.Add(new TrustedClientEntry(name, role, [.. thumbprints], [.. apps ?? []]));
        return this;
    }

    /// <summary>Adds to Notifications.Webhooks: <paramref name="format"/> is "Json", "Slack" or "Discord"; empty events mean all.</summary>
    public AgentConfigBuilder WithWebhook(
        string url,
        string format = "Json",
        string name = "",
        IEnumerable<string>? events = null,
        TimeSpan? timeout = null,
        int maxAttempts = 3)
    {
        webhooks.Add(new JsonObject
        {
            ["Name"] = name,
            ["Url"] = url,
            ["Format"] = format,
            ["Events"] = new JsonArray([.. (events ?? []).Select(e => JsonValue.Create(e))]),
            ["Timeout"] = Duration(timeout ?? TimeSpan.FromSeconds(5)),
            ["MaxAttempts"] = maxAttempts,
        });
        return this;
    }

    /// <summary>Metrics:Prometheus: serves /metrics on a free 127.0.0.1 port. Off otherwise, so parallel agents never fight over 9464.</summary>
    /// <summary>Apps.X.Container: the container's capabilities and limits, e.g. { "Memory": "16m" }.</summary>
    public AgentConfigBuilder WithContainer(JsonObject container)
    {
        this.container = container;
        return this;
    }

    public AgentConfigBuilder WithPrometheus()
    {
        prometheus = true;
        return this;
    }

    public AgentConfigBuilder WithHealth(TimeSpan? interval = null, int? successesNeeded = null, TimeSpan? startTimeout = null)
    {
        healthInterval = interval ?? healthInterval;
        healthSuccessesNeeded = successesNeeded ?? healthSuccessesNeeded;
        healthStartTimeout = startTimeout ?? healthStartTimeout;
        return this;
    }

    public AgentConfigBuilder WithVerifyTimeout(TimeSpan timeout)
    {
        verifyTimeout = timeout;
        return this;
    }

    public AgentConfigBuilder WithKeepStandbyFor(TimeSpan keepStandbyFor)
    {
        this.keepStandbyFor = keepStandbyFor;
        return this;
    }

    /// <summary>Checks.Interval: how often the self-checks run (the agent's default, 10 s, when not called).</summary>
    public AgentConfigBuilder WithChecksEvery(TimeSpan interval)
    {
        checksInterval = interval;
        return this;
    }

    /// <summary>Apps.X.AutoHeal: act after <paramref name="failuresBeforeAction"/> failed live checks in a row, or not at all.</summary>
    public AgentConfigBuilder WithAutoHeal(int failuresBeforeAction, bool enabled = true)
    {
        this.failuresBeforeAction = failuresBeforeAction;
        autoHealEnabled = enabled;
        return this;
    }

    /// <summary>Retention: how often the clean-up runs, the versions kept besides live and standby, and how long history is kept.</summary>
    public AgentConfigBuilder WithRetention(TimeSpan? interval = null, int? keepImages = null, TimeSpan? keepHistoryFor = null)
    {
        this.retentionInterval = interval ?? this.retentionInterval;
        this.keepImages = keepImages ?? this.keepImages;
        this.keepHistoryFor = keepHistoryFor ?? this.keepHistoryFor;
        return this;
    }

    /// <summary>Apps.X.ImagePolicy.AllowedRepositories: repositories besides the app's own that may be deployed.</summary>
    public AgentConfigBuilder WithAllowedRepositories(params string[] repositories)
    {
        allowedRepositories.AddRange(repositories);
        return this;
    }

    /// <summary>
    /// Traffic:Mode <paramref name="mode"/> (Redirect unless told) with a table of this test's own
    /// (<see cref="TrafficTables.NewName"/>), and Apps:APP:Upstream:FrontPort with <paramref name="frontPorts"/> + 1
    /// consecutive free 127.0.0.1 ports (<see cref="FreePorts.NextBlock"/>). With "Reload" the table and the ports are
    /// written too, for a test that moves the server to Redirect later (<see cref="RewriteTrafficMode"/>).
    /// </summary>
    public AgentConfigBuilder WithRedirect(int frontPorts = 10, string mode = "Redirect")
    {
        trafficMode = mode;
        frontPortCount = frontPorts;
        return this;
    }

    /// <summary>Writes agent.json (and an empty Docker config.json, unless one was given) into <paramref name="directory"/>.</summary>
    public AgentConfig WriteTo(TempDirectory directory)
    {
        var nginx = this.nginx ?? throw new InvalidOperationException("Call WithHostNginx or WithNginxContainer first");
        if (imageRepository.Length == 0)
        {
            throw new InvalidOperationException("Call WithImageRepository first");
        }

        var config = new AgentConfig(
            FilePath: directory.Combine("agent.json"),
            SocketPath: directory.Combine("agent.sock"),
            DataDirectory: directory.Combine("data"),
            LogDirectory: directory.Combine("log"),
            AppName: AppName,
            ImageRepository: imageRepository,
            BluePort: FreePorts.Next(),
            GreenPort: FreePorts.Next(),
            UpstreamName: nginx.UpstreamName,
            UpstreamFile: nginx.UpstreamFile)
        {
            TcpPort = trustedClients.Count > 0 ? FreePorts.Next() : null,
            PrometheusPort = prometheus ? FreePorts.Next() : null,
            TrafficTable = trafficMode is null ? null : TrafficTables.NewName(),
            FrontPort = trafficMode is null ? null : FreePorts.NextBlock(frontPortCount + 1),
            FrontPortCount = frontPortCount,
        };

        var dockerConfig = dockerConfigPath ?? directory.Combine("docker-config.json");
        if (dockerConfigPath is null)
        {
            File.WriteAllText(dockerConfig, "{ \"auths\": {} }\n");
        }

        File.WriteAllText(config.FilePath, Render(config, nginx, dockerConfig).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return config;
    }

    private JsonObject Render(AgentConfig config, NginxConfigDirectory nginx, string dockerConfig)
    {
        var environment = new JsonObject();
        foreach (var (name, value) in this.environment)
        {
            environment[name] = value;
        }

        var registries = new JsonArray();
        foreach (var (host, login) in this.registries)
        {
            registries.Add(new JsonObject { ["Server"] = host, ["Username"] = login.Username, ["Password"] = login.Password });
        }

        var security = new JsonObject
        {
            ["Tcp"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = config.TcpPort ?? 7443 },
            ["Clients"] = new JsonArray([.. trustedClients.Select(c => (JsonNode)c.ToJson())]),
            ["MutationsPerMinute"] = mutationsPerMinute,
        };
        if (auditedRefusalsPerMinute is { } refusals)
        {
            security["AuditedRefusalsPerMinute"] = refusals;
        }

        if (tcpMaxConnections is { } maxConnections)
        {
            security["Tcp"]!["MaxConnections"] = maxConnections;
        }

        var checks = new JsonObject();
        if (checksInterval is { } interval)
        {
            checks["Interval"] = Duration(interval);
        }

        var retention = new JsonObject();
        if (this.retentionInterval is { } retentionInterval)
        {
            retention["Interval"] = Duration(retentionInterval);
        }

        if (this.keepImages is { } keepImages)
        {
            retention["KeepImages"] = keepImages;
        }

        if (this.keepHistoryFor is { } keepHistoryFor)
        {
            retention["KeepHistoryFor"] = Duration(keepHistoryFor);
        }

        var autoHeal = new JsonObject { ["Enabled"] = autoHealEnabled };
        if (this.failuresBeforeAction is { } failures)
        {
            autoHeal["FailuresBeforeAction"] = failures;
        }

        var upstream = new JsonObject
        {
            ["Name"] = config.UpstreamName,
            ["File"] = config.UpstreamFile,
        };
        if (trafficMode is not null)
        {
            upstream["FrontPort"] = config.FrontPort;
            upstream["FrontPorts"] = config.FrontPortCount;
        }

        var root = new JsonObject
        {
            ["Security"] = security,
            ["Metrics"] = new JsonObject
            {
                ["Prometheus"] = new JsonObject
                {
                    ["Enabled"] = config.PrometheusPort is not null,
                    ["Address"] = "127.0.0.1",
                    ["Port"] = config.PrometheusPort ?? 9464
                },
            },
            ["Checks"] = checks,
            ["Retention"] = retention,
            ["Agent"] = new JsonObject
            {
                ["SocketPath"] = config.SocketPath,
                ["DataDirectory"] = config.DataDirectory,
                ["LogDirectory"] = config.LogDirectory,
                ["DockerEndpoint"] = dockerEndpoint,
                ["DockerConfigPath"] = dockerConfig,
            },
            ["Nginx"] = new JsonObject
            {
                ["Mode"] = nginxMode,
                ["Binary"] = nginxBinary,
                ["ConfigFile"] = nginx.ConfigFile,
                ["ContainerName"] = nginxContainerName,
                ["ContainerLabel"] = nginxContainerLabel,
            },
            ["Registries"] = registries,
            ["Notifications"] = new JsonObject { ["Webhooks"] = webhooks.DeepClone() },
            ["Apps"] = new JsonObject
            {
                [config.AppName] = new JsonObject
                {
                    ["Image"] = config.ImageRepository,
                    ["BluePort"] = config.BluePort,
                    ["GreenPort"] = config.GreenPort,
                    ["Network"] = "Host",
                    ["ContainerPort"] = 0,
                    ["Health"] = new JsonObject
                    {
                        ["Path"] = "/health",
                        ["Interval"] = Duration(healthInterval),
                        ["Timeout"] = Duration(TimeSpan.FromSeconds(1)),
                        ["SuccessesNeeded"] = healthSuccessesNeeded,
                        ["StartTimeout"] = Duration(healthStartTimeout),
                    },
                    ["Verify"] = new JsonObject
                    {
                        ["Url"] = nginx.BaseAddress.ToString(),
                        ["Interval"] = Duration(TimeSpan.FromMilliseconds(100)),
                        ["SuccessesNeeded"] = 2,
                        ["Timeout"] = Duration(verifyTimeout),
                    },
                    ["Environment"] = environment,
                    ["EnvFile"] = envFile,
                    ["Volumes"] = new JsonArray([.. volumes.Select(v => JsonValue.Create(v))]),
                    ["Upstream"] = upstream,
                    ["ImagePolicy"] = new JsonObject { ["AllowedRepositories"] = AllowedRepositoriesJson(allowedRepositories) },
                    ["KeepStandbyFor"] = Duration(this.keepStandbyFor),
                    ["AutoHeal"] = autoHeal,
                    ["Container"] = container?.DeepClone() ?? new JsonObject(),
                },
            },
        };

        // Only when asked for, so every other scenario runs with the agent's defaults (Traffic:Mode Reload).
        if (trafficMode is not null)
        {
            root["Traffic"] = new JsonObject { ["Mode"] = trafficMode, ["Table"] = config.TrafficTable };
        }

        return root;
    }

    /// <summary>
    /// Rewrites Apps.APP.ImagePolicy.AllowedRepositories in the configuration file, leaving everything else as it is
    /// (an app's settings take effect when the agent starts again).
    /// </summary>
    public static void RewriteAllowedRepositories(string configFile, string app, IEnumerable<string> repositories)
    {
        var root = JsonNode.Parse(File.ReadAllText(configFile))!.AsObject();
        var options = root["Apps"]?[app]?.AsObject() ?? throw new InvalidOperationException($"The configuration declares no app {app}");
        options["ImagePolicy"] = new JsonObject { ["AllowedRepositories"] = AllowedRepositoriesJson(repositories) };
        File.WriteAllText(configFile, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Rewrites Traffic:Mode in the configuration file, leaving everything else as it is (read when the agent starts again).</summary>
    public static void RewriteTrafficMode(string configFile, string mode)
    {
        var root = JsonNode.Parse(File.ReadAllText(configFile))!.AsObject();
        var traffic = root["Traffic"]?.AsObject() ?? throw new InvalidOperationException("The configuration has no Traffic section (WithRedirect)");
        traffic["Mode"] = mode;
        File.WriteAllText(configFile, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static JsonArray AllowedRepositoriesJson(IEnumerable<string> repositories) => new([.. repositories.Select(r => JsonValue.Create(r))]);

    private static string Duration(TimeSpan value) => value.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
