using System.Diagnostics.Metrics;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Reporting.Dora;

namespace Mizan.Agent.Reporting.Metrics;

/// <summary>
/// The DORA figures of each app over the last 30 days as gauges (mizan_dora_*). A scrape reads a cached report:
/// the figures are computed from the store in the background, never on the scrape's thread: when a deploy, rollback
/// or incident ends or opens (rare), and once a minute so the window slides.
/// A figure without a value (nothing in the window to compute it from) is left out rather than shown as zero.
/// </summary>
public sealed partial class DoraGauges : BackgroundService
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private static readonly HashSet<AgentEventKind> Changes =
    [
        AgentEventKind.DeploySucceeded, AgentEventKind.DeployFailed, AgentEventKind.DeployRolledBack, AgentEventKind.DeployInterrupted,
        AgentEventKind.RollbackSucceeded, AgentEventKind.RollbackFailed, AgentEventKind.IncidentOpened, AgentEventKind.IncidentClosed,
    ];

    private readonly DoraQuery query;
    private readonly AgentEvents events;
    private readonly AppCatalog apps;
    private readonly TimeProvider time;
    private readonly ILogger<DoraGauges> logger;
    private volatile IReadOnlyList<DoraReport> reports = [];

    public DoraGauges(DoraQuery query, AppCatalog apps, AgentEvents events, IMeterFactory meters, TimeProvider time, ILogger<DoraGauges> logger)
    {
        this.query = query;
        this.events = events;
        this.apps = apps;
        this.time = time;
        this.logger = logger;
        var meter = meters.Create(AgentMeter.Name);
        meter.CreateObservableGauge(
            "mizan.dora.deployment_frequency",
            () => Measure(DoraCalculator.DeploymentFrequency),
            "{deployment}/d",
            "DORA deployment frequency over the last 30 days, per app.");
        meter.CreateObservableGauge(
            "mizan.dora.change_lead_time",
            () => Measure(DoraCalculator.ChangeLeadTime),
            "s",
            "DORA change lead time (median, commit to live) over the last 30 days, per app.");
        meter.CreateObservableGauge(
            "mizan.dora.change_failure_rate",
            () => Measure(DoraCalculator.ChangeFailureRate),
            "1",
            "DORA change failure rate over the last 30 days, per app.");
        meter.CreateObservableGauge(
            "mizan.dora.failed_deployment_recovery_time",
            () => Measure(DoraCalculator.FailedDeploymentRecoveryTime),
            "s",
            "DORA failed deployment recovery time (median) over the last 30 days, per app.");
        meter.CreateObservableGauge(
            "mizan.dora.deployment_rework_rate",
            () => Measure(DoraCalculator.DeploymentReworkRate),
            "1",
            "DORA deployment rework rate over the last 30 days, per app.");
    }

    /// <summary>Recomputes the cached reports now; the loop calls it once a minute.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var history = await query.LoadAsync(app: null, Window, cancellationToken);
        reports = apps.Names.Order(StringComparer.Ordinal).Select(app => DoraCalculator.Compute(history, app)).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first computation reads the store: let the host finish starting first.
        await Task.Yield();
        using var subscription = events.Subscribe();
        using var timer = new PeriodicTimer(RefreshInterval, time);
        Task<bool>? tick = null;
        Task<bool>? changed = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The gauges keep their last values; the next tick tries again.
                LogRefreshFailed(logger, ex.Message);
            }

            // Each wait is kept across turns: a PeriodicTimer allows only one pending wait.
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            changed ??= NextChangeAsync(subscription.Reader, stoppingToken);
            var first = await Task.WhenAny(tick, changed);
            if (!await first)
            {
                return;
            }

            if (first == tick)
            {
                tick = null;
            }
            else
            {
                changed = null;
            }
        }
    }

    private static async Task<bool> NextChangeAsync(System.Threading.Channels.ChannelReader<AgentEvent> reader, CancellationToken cancellationToken)
    {
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var relevant = false;
            while (reader.TryRead(out var agentEvent))
            {
                relevant |= Changes.Contains(agentEvent.Kind);
            }

            if (relevant)
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<Measurement<double>> Measure(string name)
    {
        foreach (var report in reports)
        {
            if (report[name].Value is { } value)
            {
                yield return new Measurement<double>(value, new KeyValuePair<string, object?>("app", report.App));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not compute the DORA gauges: {Reason}; keeping the last values")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
