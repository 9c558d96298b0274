using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Deployments.Standby;

/// <summary>Stops a hot standby once its KeepStandbyFor has passed; the container is kept so a rollback can start it again.</summary>
public sealed partial class StandbyExpiry(
    StandbyStore standbys,
    ITrafficRouter router,
    TrafficSteps traffic,
    AppLocks locks,
    TimeProvider time,
    ILogger<StandbyExpiry> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await StopExpiredAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex.Message);
            }
        }
    }

    public async Task StopExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var lease in await standbys.ListAsync(cancellationToken))
        {
            if (lease.Until > now || locks.HolderOf(lease.App) is not null)
            {
                continue;
            }

            using var hold = locks.Acquire(lease.App, OperationId.New(OperationKind.StandbyExpiry, time), "standby expiry");
            if (await router.GetLiveSlotAsync(lease.App, cancellationToken) != lease.Slot)
            {
                await traffic.StopSlotAsync(lease.App, lease.Slot, TrafficSteps.GracefulStop, cancellationToken);
                LogStopped(logger, lease.App, SlotNames.Name(lease.Slot));
            }

            await standbys.ClearAsync(lease.App, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{App}: hot standby in slot {Slot} expired and was stopped")]
    private static partial void LogStopped(ILogger logger, string app, string slot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Standby expiry failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
