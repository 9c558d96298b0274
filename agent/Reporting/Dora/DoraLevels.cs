namespace Mizan.Agent.Reporting.Dora;

/// <summary>
/// The cut points between DORA's performance clusters, from the Accelerate State of DevOps reports 2023 and 2024
/// (dora.dev). Frequency, lead time and recovery time use the clusters both reports share; change failure rate uses
/// 2023's (2024's medium cluster, 10 %, sits below its high one, 20 %, so it cannot order a value). DORA publishes no
/// clusters for deployment rework rate, so it borrows change failure rate's: both are shares of deployments that
/// went wrong. README "Metrics" has the table.
/// </summary>
public static class DoraLevels
{
    /// <summary>Below this many samples a median or a share says more about chance than about the team.</summary>
    public const int MinimumSample = 3;

    /// <summary>Elite: on demand, several a day (at least one a day on average); high: daily to weekly; medium: weekly to monthly.</summary>
    public static PerformanceLevel OfFrequency(double perDay) => perDay switch
    {
        >= 1.0 => PerformanceLevel.Elite,
        >= 1.0 / 7 => PerformanceLevel.High,
        >= 1.0 / 30 => PerformanceLevel.Medium,
        _ => PerformanceLevel.Low,
    };

    /// <summary>Elite: under a day; high: up to a week; medium: up to a month; low: longer.</summary>
    public static PerformanceLevel OfLeadTime(TimeSpan leadTime) =>
        leadTime < TimeSpan.FromDays(1) ? PerformanceLevel.Elite
        : leadTime <= TimeSpan.FromDays(7) ? PerformanceLevel.High
        : leadTime <= TimeSpan.FromDays(30) ? PerformanceLevel.Medium
        : PerformanceLevel.Low;

    /// <summary>Elite: at most 5 %; high: 10 %; medium: 15 %; low: more.</summary>
    public static PerformanceLevel OfFailureShare(double ratio) => ratio switch
    {
        <= 0.05 => PerformanceLevel.Elite,
        <= 0.10 => PerformanceLevel.High,
        <= 0.15 => PerformanceLevel.Medium,
        _ => PerformanceLevel.Low,
    };

    /// <summary>Elite: under an hour; high: under a day; medium: up to a week; low: longer.</summary>
    public static PerformanceLevel OfRecoveryTime(TimeSpan recovery) =>
        recovery < TimeSpan.FromHours(1) ? PerformanceLevel.Elite
        : recovery < TimeSpan.FromDays(1) ? PerformanceLevel.High
        : recovery <= TimeSpan.FromDays(7) ? PerformanceLevel.Medium
        : PerformanceLevel.Low;
}
