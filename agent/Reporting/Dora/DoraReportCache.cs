using Mizan.Agent.Deployments.History;

namespace Mizan.Agent.Reporting.Dora;

/// <summary>
/// The reports GetMetrics answers with, kept <see cref="TimeToLive"/> per app and window: a dashboard polling the
/// figures, or many clients at once, cost the store one computation per period instead of one per call, and callers
/// asking at the same moment share it. The end of a deploy or rollback empties the cache, so its figures show at once;
/// an incident's opening or closing shows within the period.
/// </summary>
public sealed class DoraReportCache(TimeProvider time) : IDeploymentObserver
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private readonly Dictionary<(string App, TimeSpan Window), Entry> entries = [];

    /// <summary>The cached report of <paramref name="app"/> (null: all apps) over <paramref name="window"/>, else <paramref name="compute"/>'s.</summary>
    /// <param name="compute">Runs without the caller's token: callers share it, and one leaving must not fail the others.</param>
    public Task<DoraReport> GetOrComputeAsync(
        string? app,
        TimeSpan window,
        Func<CancellationToken, Task<DoraReport>> compute,
        CancellationToken cancellationToken)
    {
        Lazy<Task<DoraReport>> report;
        lock (gate)
        {
            var now = time.GetUtcNow();
            var key = (app ?? "", window);
            if (!entries.TryGetValue(key, out var entry) || now >= entry.Expires || entry.Failed)
            {
                foreach (var stale in entries.Where(pair => now >= pair.Value.Expires).Select(pair => pair.Key).ToList())
                {
                    entries.Remove(stale);
                }

                entry = new Entry(new Lazy<Task<DoraReport>>(() => compute(CancellationToken.None)), now + TimeToLive);
                entries[key] = entry;
            }

            report = entry.Report;
        }

        // Outside the lock: the computation reads the store.
        return report.Value.WaitAsync(cancellationToken);
    }

    public void Invalidate()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }

    public void StepFinished(DeploymentRecord deployment, DeploymentStep finishedStep, StepStatus status, TimeSpan duration)
    {
    }

    public void DeploymentFinished(DeploymentRecord deployment) => Invalidate();

    private sealed record Entry(Lazy<Task<DoraReport>> Report, DateTimeOffset Expires)
    {
        // A failed computation is not kept: the next call tries again.
        public bool Failed => Report.IsValueCreated && (Report.Value.IsFaulted || Report.Value.IsCanceled);
    }
}
