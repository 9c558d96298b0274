namespace Mizan.Agent.Apps.Events;

/// <summary>What happened; notifications and metrics choose what to react to by kind.</summary>
public enum AgentEventKind
{
    DeployStarted,
    DeploySucceeded,

    /// <summary>A deploy failed before the switch: live traffic never moved.</summary>
    DeployFailed,

    /// <summary>A deploy failed after the switch and traffic went back to the previous slot.</summary>
    DeployRolledBack,

    /// <summary>A deploy or rollback was cut short by the agent stopping.</summary>
    DeployInterrupted,

    RollbackStarted,
    RollbackSucceeded,
    RollbackFailed,

    /// <summary>Auto-heal acted on an app: switched to the standby or restarted the live container.</summary>
    AutoHealed,

    CheckFailing,
    CheckRecovered,
    IncidentOpened,
    IncidentClosed,
}

/// <param name="App">Empty for checks that concern the whole agent (Docker, nginx, disk, certificate).</param>
/// <param name="Summary">One line a person reads in a chat message or a log.</param>
/// <param name="Details">Extra fields (image, slot, check, duration_ms, ...), for payloads and logs.</param>
public sealed record AgentEvent(
    AgentEventKind Kind,
    DateTimeOffset At,
    string App,
    string Summary,
    string? DeploymentId = null,
    IReadOnlyDictionary<string, string>? Details = null);
