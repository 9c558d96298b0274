namespace Mizan.Agent.Reporting.Dora;

/// <summary>Where a figure falls among DORA's performance clusters; NoData when the window holds too few samples to say.</summary>
public enum PerformanceLevel
{
    Elite,
    High,
    Medium,
    Low,
    NoData,
}
