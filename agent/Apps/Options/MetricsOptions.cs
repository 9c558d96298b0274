namespace Mizan.Agent.Apps.Options;

/// <summary>Deployment metrics (section "Metrics").</summary>
public sealed class MetricsOptions
{
    /// <summary>An incident opened within this time after a deploy counts that deploy as a failed change.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(1);

    public PrometheusOptions Prometheus { get; set; } = new();
}

public sealed class PrometheusOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Loopback only by default: the figures name apps and images.</summary>
    public string Address { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 9464;

    /// <summary>/metrics has no authentication: an address other than loopback is refused unless this says so.</summary>
    public bool AllowNonLoopback { get; set; }
}
