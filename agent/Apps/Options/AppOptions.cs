namespace Mizan.Agent.Apps.Options;

public enum AppNetwork
{
    /// <summary>The container shares the host's network and listens on its slot's port, given as PORT.</summary>
    Host,

    /// <summary>The container listens on ContainerPort, published on its slot's port on 127.0.0.1.</summary>
    Published,
}

/// <summary>One deployable app as declared by the sysadmin; CI only chooses which tag or digest goes live.</summary>
public sealed class AppOptions
{
    /// <summary>The image repository, e.g. "ghcr.io/org/api" or "localhost:5000/web".</summary>
    public string Image { get; set; } = "";

    public int BluePort { get; set; }

    public int GreenPort { get; set; }

    public AppNetwork Network { get; set; } = AppNetwork.Host;

    /// <summary>Published network only: the port the app listens on inside the container.</summary>
    public int ContainerPort { get; set; }

    public ImagePolicyOptions ImagePolicy { get; set; } = new();

    public HealthCheckOptions Health { get; set; } = new();

    public VerifyOptions Verify { get; set; } = new();

    public AutoHealOptions AutoHeal { get; set; } = new();

    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A file of KEY=VALUE lines added to the container's environment, read at each start.</summary>
    public string EnvFile { get; set; } = "";

    /// <summary>Docker bind specifications, "host-path:container-path[:ro]".</summary>
    public List<string> Volumes { get; set; } = [];

    public UpstreamOptions Upstream { get; set; } = new();

    public ContainerOptions Container { get; set; } = new();

    /// <summary>How long the previous slot keeps running as a hot standby after a deploy.</summary>
    public TimeSpan KeepStandbyFor { get; set; } = TimeSpan.FromHours(1);
}

public sealed class HealthCheckOptions
{
    public string Path { get; set; } = "/health";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    public int SuccessesNeeded { get; set; } = 3;

    /// <summary>How long a new container has to become healthy before the deploy fails.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

public sealed record VerifyOptions
{
    /// <summary>A URL through nginx that must answer 2xx from the new slot after the switch; empty skips the verify.</summary>
    public string Url { get; set; } = "";

    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(200);

    public int SuccessesNeeded { get; set; } = 3;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}

public sealed class UpstreamOptions
{
    /// <summary>The nginx upstream name the app's server block proxies to.</summary>
    public string Name { get; set; } = "";

    /// <summary>The file the agent owns and rewrites on each switch; included by nginx's http block.</summary>
    public string File { get; set; } = "";

    /// <summary>
    /// Traffic:Mode Redirect: the first of the app's front ports on 127.0.0.1. nginx's upstream lists FrontPorts primaries
    /// from here and one backup after them; the agent's nftables rules redirect each to a slot. Nothing may listen on them.
    /// </summary>
    public int FrontPort { get; set; }

    /// <summary>Redirect mode: how many primary front ports; a weight is the share of them sent to the other slot (10 = steps of 10 %).</summary>
    public int FrontPorts { get; set; } = 10;
}

/// <summary>Which images a caller may put live for this app; checked before anything is pulled.</summary>
public sealed class ImagePolicyOptions
{
    /// <summary>
    /// Repositories besides the app's own Image that may be deployed: exact ("ghcr.io/org/api-canary") or a prefix
    /// ending in '/' ("ghcr.io/org/").
    /// </summary>
    public List<string> AllowedRepositories { get; set; } = [];

    /// <summary>Only immutable references (repository@sha256:...) may be deployed; a tag is refused.</summary>
    public bool DigestsOnly { get; set; }
}
