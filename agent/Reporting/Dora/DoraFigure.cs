namespace Mizan.Agent.Reporting.Dora;

/// <summary>One DORA figure over a window.</summary>
/// <param name="Name">Stable key: deployment_frequency, change_lead_time, change_failure_rate, failed_deployment_recovery_time, deployment_rework_rate.</param>
/// <param name="Value">Null when nothing in the window lets it be computed.</param>
/// <param name="Unit">"per_day", "seconds" or "ratio".</param>
/// <param name="Definition">How it was computed, in one sentence a user can check against the history.</param>
public sealed record DoraFigure(
    string Name,
    string Title,
    double? Value,
    string Unit,
    int SampleSize,
    PerformanceLevel Level,
    string Definition);

/// <summary>The five figures of one app (or of all apps when <paramref name="App"/> is null) over [From, To].</summary>
public sealed record DoraReport(string? App, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<DoraFigure> Figures)
{
    public DoraFigure this[string name] => Figures.Single(figure => figure.Name == name);
}
