using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing.Incidents;

namespace Mizan.Agent.Reporting.Dora;

/// <summary>Reads the history a DORA report needs from the store and hands it to the calculator.</summary>
public sealed class DoraQuery(
    DeploymentStore deployments,
    IncidentStore incidents,
    AppCatalog apps,
    IOptions<AgentOptions> options,
    TimeProvider time,
    DoraReportCache cache)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// A caller's request: an unknown app is refused (InvalidRequest) before anything is read; no window means 30 days.
    /// The report may be up to <see cref="DoraReportCache.TimeToLive"/> old.
    /// </summary>
    public Task<DoraReport> GetForRequestAsync(string? app, TimeSpan? window, CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            apps.Get(app);
        }

        var span = window ?? DefaultWindow;
        return cache.GetOrComputeAsync(app, span, token => GetAsync(app, span, token), cancellationToken);
    }

    public async Task<DoraReport> GetAsync(string? app, TimeSpan window, CancellationToken cancellationToken)
    {
        var history = await LoadAsync(app, window, cancellationToken);
        return DoraCalculator.Compute(history, app);
    }

    /// <summary>The window ending now, plus the failure window before it (failures there mark rework inside it).</summary>
    public async Task<DoraHistory> LoadAsync(string? app, TimeSpan window, CancellationToken cancellationToken)
    {
        var to = time.GetUtcNow();
        var from = to - window;
        var failureWindow = options.Value.Metrics.FailureWindow;
        var since = from - failureWindow;
        var records = await deployments.ListStartedSinceAsync(app, since, cancellationToken);
        // Only failed deploys need their switch time: whether, and when, they moved live traffic.
        var switched = await deployments.ListFailedSwitchTimesSinceAsync(app, since, cancellationToken);
        var list = records
            .Select(r => new DoraDeployment(
                r.Id,
                r.App,
                r.Kind,
                r.State,
                r.StartedAt,
                r.EndedAt,
                r.CommitTime,
                switched.TryGetValue(r.Id, out var at) ? at : null))
            .ToList();

        var opened = await incidents.ListOpenedSinceAsync(app, since, cancellationToken);
        var stillOpen = await incidents.ListOpenAsync(cancellationToken);
        var incidentList = opened
            .Concat(stillOpen.Where(i => (app is null || i.App == app) && i.OpenedAt < since))
            .Select(i => new DoraIncident(i.App, i.OpenedAt, i.ClosedAt, i.DeploymentId))
            .ToList();
        return new DoraHistory(list, incidentList, from, to, failureWindow);
    }
}
