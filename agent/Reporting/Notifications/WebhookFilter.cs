using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>Which events a webhook wants: an empty list of kinds means every kind, an empty list of apps every app.</summary>
public sealed class WebhookFilter(IEnumerable<AgentEventKind> kinds, IEnumerable<string> apps)
{
    private readonly HashSet<AgentEventKind> kinds = [.. kinds];
    private readonly HashSet<string> apps = new(apps, StringComparer.Ordinal);

    public static WebhookFilter All { get; } = new([], []);

    /// <summary>
    /// Agent-wide events (no app: Docker, nginx, disk, certificate checks) go only to webhooks without an app list:
    /// a webhook limited to some apps belongs to the people of those apps, not to the server's operators.
    /// </summary>
    public bool Matches(AgentEvent agentEvent) =>
        (kinds.Count == 0 || kinds.Contains(agentEvent.Kind))
        && (apps.Count == 0 || apps.Contains(agentEvent.App));
}
