namespace Mizan.Agent.Reporting.Metrics;

/// <summary>
/// The one meter every feature records on (through the host's IMeterFactory, which hands out the same meter for the
/// same name). The Prometheus endpoint exports exactly this meter, so a new instrument appears there by itself.
/// Instrument names are dotted, lower case and start with "mizan."; the exporter turns "mizan.check.duration" with
/// unit "s" into mizan_check_duration_seconds, and a counter "mizan.deploys" into mizan_deploys_total.
/// </summary>
public static class AgentMeter
{
    public const string Name = "Mizan.Agent";

    /// <summary>Bucket bounds in seconds for deploy steps and rollbacks: a switch takes well under a second, a pull can take minutes.</summary>
    public static readonly IReadOnlyList<double> StepBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
}
