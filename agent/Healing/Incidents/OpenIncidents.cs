using System.Collections.Concurrent;

namespace Mizan.Agent.Healing.Incidents;

/// <summary>The open incident of each app, mirrored in memory for the synchronous readers (metrics gauges).</summary>
public sealed class OpenIncidents
{
    private readonly ConcurrentDictionary<string, IncidentRecord> open = new(StringComparer.Ordinal);

    public IncidentRecord? Of(string app) => open.TryGetValue(app, out var incident) ? incident : null;

    public void Opened(IncidentRecord incident) => open[incident.App] = incident;

    public void Closed(string app) => open.TryRemove(app, out _);

    public int CountOf(string app) => open.ContainsKey(app) ? 1 : 0;
}
