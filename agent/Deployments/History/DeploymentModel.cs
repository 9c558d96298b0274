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
    string? IdempotencyKey = null);

public sealed record DeploymentEventRecord(
    string DeploymentId,
    int Sequence,
    DateTimeOffset At,
    DeploymentStep Step,
    StepStatus Status,
    string Message,
    IReadOnlyDictionary<string, string> Details,
    DeploymentRecord? Result = null);
