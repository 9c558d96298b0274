namespace Mizan.Agent.Access.Audit;

/// <summary>One call that changed something, or tried to: who, what, from where, and how it ended.</summary>
public sealed record AuditRecord(
    DateTimeOffset At,
    string Caller,
    string? Thumbprint,
    string Role,
    string Action,
    string App,
    string Detail,
    string Peer,
    string Outcome,
    string? DeploymentId);
