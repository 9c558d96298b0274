using System.Text.Json.Serialization;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>The agent's own webhook payload (Format Json): the event as the agent knows it, for scripts and bridges.</summary>
/// <param name="Schema">Names this shape, so a receiver can tell a later, changed shape apart.</param>
/// <param name="App">Empty for events that concern the whole agent (Docker, nginx, disk, certificate).</param>
/// <param name="Host">The machine the agent runs on, so one receiver can serve several servers.</param>
public sealed record JsonEventPayload(
    string Schema,
    string Kind,
    DateTime At,
    string App,
    string Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DeploymentId,
    IReadOnlyDictionary<string, string> Details,
    string Host)
{
    public const string SchemaName = "mizan.agent.event.v1";
}
