namespace Mizan.Agent.Reporting.Notifications;

/// <summary>How an event reads at a glance in a chat message: good, bad, worth a look, or just news.</summary>
public enum EventOutcome
{
    Info,
    Success,
    Warning,
    Failure,
}
