namespace Mizan.Agent.Apps.Options;

/// <summary>The scheduled clean-up (section "Retention").</summary>
public sealed class RetentionOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Images of an app kept besides the live and standby ones: the last N versions deployed.</summary>
    public int KeepImages { get; set; } = 3;

    /// <summary>Deployment history, events and closed incidents older than this are deleted.</summary>
    public TimeSpan KeepHistoryFor { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Audit log entries older than this are deleted.</summary>
    public TimeSpan KeepAuditFor { get; set; } = TimeSpan.FromDays(90);
}
