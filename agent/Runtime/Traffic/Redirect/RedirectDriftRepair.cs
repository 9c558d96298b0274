namespace Mizan.Agent.Runtime.Traffic.Redirect;

/// <summary>
/// Puts the agent's redirects back within moments of anything else changing them: `systemctl restart nftables` (Debian's
/// file begins with `flush ruleset`), `nft flush ruleset`, a hand edit. Woken by nftables' own change notifications;
/// the self-check that compares the table every Checks:Interval is the fallback when they cannot be had.
/// </summary>
public sealed partial class RedirectDriftRepair(ITrafficRouter router, TimeProvider time, ILogger<RedirectDriftRepair> logger) : BackgroundService
{
    // A burst of changes (someone else's script of several transactions) settles before the table is read back.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(500);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // poll(2) blocks its thread: the whole watch runs on a dedicated one, never on the pool's.
        Task.Factory.StartNew(() => Watch(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Watch(CancellationToken stoppingToken)
    {
        NetfilterEvents events;
        try
        {
            events = NetfilterEvents.Open();
        }
        catch (IOException ex)
        {
            LogNoEvents(logger, ex.Message);
            return;
        }

        using (events)
        {
            LogWatching(logger);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!events.Wait(PollTimeout))
                {
                    continue;
                }

                try
                {
                    Task.Delay(Settle, time, stoppingToken).GetAwaiter().GetResult();
                    _ = events.Wait(TimeSpan.Zero);
                    _ = router.RepairAsync(stoppingToken).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is TrafficSwitchException or IOException or InvalidOperationException)
                {
                    LogRepairFailed(logger, ex.Message);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching nftables for changes to the agent's redirects")]
    private static partial void LogWatching(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No nftables change notifications ({Reason}): a changed table is put back at the next self-check only")]
    private static partial void LogNoEvents(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Putting the agent's redirects back failed: {Reason}; the next change or self-check tries again")]
    private static partial void LogRepairFailed(ILogger logger, string reason);
}
