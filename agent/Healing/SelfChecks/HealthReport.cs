using Mizan.Agent.Apps;
using Mizan.Agent.Healing.Incidents;

namespace Mizan.Agent.Healing.SelfChecks;

public sealed record HealthView(IReadOnlyList<CheckState> Checks, IReadOnlyList<IncidentRecord> OpenIncidents, DateTimeOffset At);

/// <summary>What GetHealth answers: the latest result of every check (for one app: its checks and the agent-wide ones) and the open incidents.</summary>
public sealed class HealthReport(AppCatalog apps, CheckResultStore checks, IncidentStore incidents, TimeProvider time)
{
    public async Task<HealthView> GetAsync(string? app, CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            apps.Get(app);
        }

        var states = checks.Latest().Where(state => app is null || state.App.Length == 0 || state.App == app).ToList();
        var open = (await incidents.ListOpenAsync(cancellationToken)).Where(incident => app is null || incident.App == app).ToList();
        return new HealthView(states, open, time.GetUtcNow());
    }
}
