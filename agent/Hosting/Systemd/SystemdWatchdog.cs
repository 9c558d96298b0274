namespace Mizan.Agent.Hosting.Systemd;

/// <summary>
/// Sends WATCHDOG=1 every half of WATCHDOG_USEC (as sd_watchdog_enabled(3) advises). The ASP.NET Core host does not do
/// this itself. A hung agent (stopped, deadlocked, its thread pool starved) stops sending, and systemd kills and
/// restarts it after WatchdogSec.
/// </summary>
public sealed partial class SystemdWatchdog(SystemdNotifier notifier, TimeProvider time, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsActive || notifier.WatchdogInterval is not { } interval)
        {
            return;
        }

        var period = interval / 2;
        LogPinging(logger, (long)period.TotalMilliseconds, interval.TotalSeconds);
        // The timer first, then the first ping: once a ping was seen, the next one is due one period later.
        using var timer = new PeriodicTimer(period, time);
        notifier.WatchdogAlive();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                notifier.WatchdogAlive();
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping; systemd stops expecting pings once STOPPING=1 was sent.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog: WATCHDOG=1 every {Milliseconds} ms (WatchdogSec {Seconds} s)")]
    private static partial void LogPinging(ILogger logger, long milliseconds, double seconds);
}
