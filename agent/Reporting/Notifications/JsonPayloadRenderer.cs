using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>Format Json: the event unchanged, with the schema name and the host.</summary>
public static class JsonPayloadRenderer
{
    public static JsonEventPayload Render(AgentEvent agentEvent, string host) => new(
        JsonEventPayload.SchemaName,
        agentEvent.Kind.ToString(),
        agentEvent.At.UtcDateTime,
        agentEvent.App,
        agentEvent.Summary,
        agentEvent.DeploymentId,
        new SortedDictionary<string, string>(agentEvent.Details?.ToDictionary() ?? [], StringComparer.Ordinal),
        host);
}
