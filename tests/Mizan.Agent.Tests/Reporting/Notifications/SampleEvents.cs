using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Tests.Reporting.Notifications;

/// <summary>Events as the journal and the checks publish them, for payload and delivery tests.</summary>
internal static class SampleEvents
{
    /// <summary>10:00 at UTC+3: payloads must say 07:00Z.</summary>
    public static readonly DateTimeOffset At = new(2026, 11, 27, 10, 0, 0, TimeSpan.FromHours(3));

    public static AgentEvent DeploySucceeded(string app = "web") => new(
        AgentEventKind.DeploySucceeded,
        At,
        app,
        $"Deploy of reg/web:v2 to {app} succeeded",
        "d-1",
        new Dictionary<string, string> { ["to_slot"] = "green", ["image"] = "reg/web:v2" });

    public static AgentEvent Of(AgentEventKind kind, string app = "web") => new(kind, At, app, $"{kind} of {app}");
}
