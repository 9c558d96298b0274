using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mizan.Agent.Apps;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Healing.SelfChecks;

namespace Mizan.Agent.Reporting.Metrics;

/// <summary>
/// The self-checks' instruments on the "Mizan.Agent" meter (the Prometheus exporter reads that meter):
/// mizan.check.duration, mizan.app.live.healthy and mizan.incidents.open.
/// </summary>
public sealed class HealthMetrics : ICheckObserver
{
    private readonly Histogram<double> checkDuration;

    public HealthMetrics(IMeterFactory meters, AppCatalog apps, CheckResultStore checks, OpenIncidents incidents)
    {
        var meter = meters.Create(AgentMeter.Name);
        checkDuration = meter.CreateHistogram<double>("mizan.check.duration", unit: "s", description: "How long one self-check took, by check, app and status");
        meter.CreateObservableGauge(
            "mizan.app.live.healthy",
            () => apps.Names.Select(app => new Measurement<int>(
                checks.Get(CheckNames.Live(app)) is { Status: not CheckStatus.Failing } live && live.Latest.Message != AppChecks.NeverLive ? 1 : 0,
                new KeyValuePair<string, object?>("app", app))),
            description: "1 while the app's live slot passes its latest check, else 0 (also before the first check and when never live)");
        meter.CreateObservableGauge(
            "mizan.incidents.open",
            () => apps.Names.Select(app => new Measurement<int>(incidents.CountOf(app), new KeyValuePair<string, object?>("app", app))),
            description: "Open incidents of the app (0 or 1)");
    }

    public void CheckRecorded(CheckResult result) =>
        checkDuration.Record(result.Duration.TotalSeconds, new TagList
        {
            { "check", CheckKind(result.Name) },
            { "app", result.App },
            { "status", result.Status.ToString().ToLowerInvariant() },
        });

    /// <summary>"app:web:live" → "live" (the app is its own tag); agent-wide checks keep their name ("docker", "disk:/var/lib/docker").</summary>
    public static string CheckKind(string name) =>
        name.StartsWith("app:", StringComparison.Ordinal) ? name[(name.LastIndexOf(':') + 1)..] : name;
}
