namespace Mizan.Agent.Apps.Options;

/// <summary>The whole agent configuration file: one object per top-level section.</summary>
public sealed class AgentOptions
{
    public AgentSection Agent { get; set; } = new();

    public NginxOptions Nginx { get; set; } = new();

    public TrafficOptions Traffic { get; set; } = new();

    public SecurityOptions Security { get; set; } = new();

    public SelfCheckOptions Checks { get; set; } = new();

    public RetentionOptions Retention { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public NotificationOptions Notifications { get; set; } = new();

    /// <summary>
    /// Registry credentials; they win over the Docker config.json. A list, not a map by host: configuration keys
    /// cannot hold the ':' of "registry.example.com:5000".
    /// </summary>
    public List<RegistryCredentialOptions> Registries { get; set; } = [];

    public Dictionary<string, AppOptions> Apps { get; set; } = new(StringComparer.Ordinal);
}

public sealed class AgentSection
{
    public string SocketPath { get; set; } = "/run/mizan-agent/agent.sock";

    public string DataDirectory { get; set; } = "/var/lib/mizan-agent";

    public string LogDirectory { get; set; } = "/var/log/mizan-agent";

    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>How long one image pull may take before the deploy fails.</summary>
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Docker CLI config.json whose "auths" give registry credentials; empty means none.</summary>
    public string DockerConfigPath { get; set; } = "";
}

public sealed class RegistryCredentialOptions
{
    /// <summary>The registry host as it appears in image references: "ghcr.io", "registry.example.com:5000".</summary>
    public string Server { get; set; } = "";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";
}
