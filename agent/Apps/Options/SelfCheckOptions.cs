namespace Mizan.Agent.Apps.Options;

/// <summary>The scheduled self-health check (section "Checks").</summary>
public sealed class SelfCheckOptions
{
    /// <summary>How often every check runs; a run still going when the next is due is not overlapped.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many results are kept per check.</summary>
    public int KeepResults { get; set; } = 50;

    /// <summary>Free space below this share of a disk is a warning.</summary>
    public double DiskFreeWarningPercent { get; set; } = 10;

    /// <summary>Free space below this share of a disk is a failure.</summary>
    public double DiskFreeFailingPercent { get; set; } = 5;

    /// <summary>The agent's TLS certificate expiring sooner than this is a warning.</summary>
    public TimeSpan CertificateWarningBefore { get; set; } = TimeSpan.FromDays(14);
}
