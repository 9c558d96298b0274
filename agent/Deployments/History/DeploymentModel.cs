namespace Mizan.Agent.Deployments.History;

public enum DeploymentKind
{
    Deploy,
    Rollback,
}

public enum DeploymentState
{
    Running,
    Succeeded,

    /// <summary>Failed before the switch: live traffic was never touched.</summary>
    Failed,

    /// <summary>Failed after the switch: traffic went back to the previous slot.</summary>
    RolledBack,

    /// <summary>The agent stopped while it ran.</summary>
    Interrupted,
}

public enum DeploymentStep
{
    Validate,
    Pull,
    Start,
    Check,
    Switch,
    Verify,
    Standby,
    SwitchBack,
    Done,
}

public enum StepStatus
{
    Started,
    Succeeded,
    Failed,
    Skipped,
}

/// <param name="RequestedBy">Who asked, as the client describes itself ("github:org/repo#42 by octocat"); empty when it said nothing.</param>
/// <param name="Caller">Who the agent authenticated for the call ("ci-github (thumbprint ab12…)", "uid 0 (root)"); null before it was recorded.</param>
public sealed record DeploymentRecord(
    string Id,
    string App,
    DeploymentKind Kind,
    DeploymentState State,
    string Image,
    string? Digest,
    string? CommitSha,
    DateTimeOffset? CommitTime,
    string RequestedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? FromSlot,
    string? ToSlot,
    string? Message,
    string? IdempotencyKey = null,
    string? Caller = null)
{
    /// <summary>Both, for a log line or a message: "github:org/repo#42 via ci-github (thumbprint ab12…)".</summary>
    public string Requester => (RequestedBy.Length, Caller) switch
    {
        (0, null) => "unknown",
        (0, { } caller) => caller,
        (_, null) => RequestedBy,
        _ => $"{RequestedBy} via {Caller}",
    };
}

public sealed record DeploymentEventRecord(
    string DeploymentId,
    int Sequence,
    DateTimeOffset At,
    DeploymentStep Step,
    StepStatus Status,
    string Message,
    IReadOnlyDictionary<string, string> Details,
    DeploymentRecord? Result = null);
