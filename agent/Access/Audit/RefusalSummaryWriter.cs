namespace Mizan.Agent.Access.Audit;

/// <summary>
/// Writes the summary rows of <see cref="RefusalAuditThrottle"/>: those of the minutes that are over, every
/// <see cref="Interval"/>, and at shutdown those of the minutes still open, so no counted refusal is lost on a stop.
/// </summary>
public sealed partial class RefusalSummaryWriter(RefusalAuditThrottle throttle, AuditLog audit, TimeProvider time, ILogger<RefusalSummaryWriter> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Writes the summaries due now (all of them when <paramref name="all"/>); returns how many.</summary>
    public async Task<int> WriteDueAsync(bool all = false)
    {
        var summaries = throttle.TakeSummaries(all);
        foreach (var summary in summaries)
        {
            try
            {
                await audit.WriteAsync(summary);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWriteFailed(logger, summary.Caller, ex.Message);
            }
        }

        return summaries.Count;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await WriteDueAsync(all: true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteDueAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the audit summary of the refusals of {Caller}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string caller, string reason);
}
