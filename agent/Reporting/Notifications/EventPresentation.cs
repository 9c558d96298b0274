using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>The words and colours chat payloads show for each event kind; the JSON payload carries the kind itself.</summary>
public static class EventPresentation
{
    public static EventOutcome OutcomeOf(AgentEventKind kind) => kind switch
    {
        AgentEventKind.DeploySucceeded
            or AgentEventKind.RollbackSucceeded
            or AgentEventKind.CheckRecovered
            or AgentEventKind.IncidentClosed => EventOutcome.Success,
        AgentEventKind.DeployFailed
            or AgentEventKind.DeployRolledBack
            or AgentEventKind.RollbackFailed
            or AgentEventKind.IncidentOpened => EventOutcome.Failure,
        AgentEventKind.DeployInterrupted or AgentEventKind.AutoHealed or AgentEventKind.CheckFailing => EventOutcome.Warning,
        _ => EventOutcome.Info,
    };

    public static string TitleOf(AgentEventKind kind) => kind switch
    {
        AgentEventKind.DeployStarted => "Deploy started",
        AgentEventKind.DeploySucceeded => "Deploy succeeded",
        AgentEventKind.DeployFailed => "Deploy failed",
        AgentEventKind.DeployRolledBack => "Deploy rolled back",
        AgentEventKind.DeployInterrupted => "Deployment interrupted",
        AgentEventKind.RollbackStarted => "Rollback started",
        AgentEventKind.RollbackSucceeded => "Rollback succeeded",
        AgentEventKind.RollbackFailed => "Rollback failed",
        AgentEventKind.AutoHealed => "Auto-healed",
        AgentEventKind.CheckFailing => "Check failing",
        AgentEventKind.CheckRecovered => "Check recovered",
        AgentEventKind.IncidentOpened => "Incident opened",
        AgentEventKind.IncidentClosed => "Incident closed",
        _ => kind.ToString(),
    };

    /// <summary>Slack emoji shortcode that leads the message.</summary>
    public static string EmojiOf(EventOutcome outcome) => outcome switch
    {
        EventOutcome.Success => ":white_check_mark:",
        EventOutcome.Failure => ":x:",
        EventOutcome.Warning => ":warning:",
        _ => ":arrow_forward:",
    };

    /// <summary>Discord embed colour (0xRRGGBB): green, red, amber, blue.</summary>
    public static int ColourOf(EventOutcome outcome) => outcome switch
    {
        EventOutcome.Success => 0x2EB67D,
        EventOutcome.Failure => 0xE01E5A,
        EventOutcome.Warning => 0xECB22E,
        _ => 0x36C5F0,
    };
}
