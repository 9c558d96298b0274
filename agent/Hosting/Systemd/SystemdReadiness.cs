using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace Mizan.Agent.Hosting.Systemd;

/// <summary>
/// Tells systemd READY=1 once the gRPC health service answers SERVING (Type=notify: `systemctl start` returns, and
/// units ordered after the agent start, only then), and STOPPING=1 when a stop begins.
/// </summary>
/// <remarks>
/// Health turns SERVING in an ApplicationStarted callback of the composition root, after Kestrel listens. The order
/// of ApplicationStarted callbacks is not something to lean on, so this waits for the status itself.
/// </remarks>
public sealed partial class SystemdReadiness(
    SystemdNotifier notifier,
    HealthServiceImpl health,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SystemdReadiness> logger) : IHostedService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(1);

    private Task readiness = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!notifier.IsActive)
        {
            return Task.CompletedTask;
        }

        lifetime.ApplicationStarted.Register(() => readiness = Task.Run(() => NotifyWhenServingAsync(lifetime.ApplicationStopping)));
        lifetime.ApplicationStopping.Register(notifier.Stopping);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await readiness.WaitAsync(cancellationToken);

    /// <summary>Polls the health status until SERVING; true when READY=1 was sent.</summary>
    public async Task<bool> NotifyWhenServingAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + GiveUpAfter;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await IsServingAsync())
            {
                notifier.Ready("serving gRPC");
                LogReady(logger);
                return true;
            }

            if (time.GetUtcNow() > deadline)
            {
                // systemd's TimeoutStartSec will stop the unit; say why first.
                LogNeverServing(logger, GiveUpAfter.TotalSeconds);
                return false;
            }

            try
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    private async Task<bool> IsServingAsync()
    {
        try
        {
            // The implementation reads its status table only; it does not touch the call context.
            var response = await health.Check(new HealthCheckRequest(), context: null!);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (Grpc.Core.RpcException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Told systemd the agent is ready (READY=1)")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The gRPC health service never reported SERVING within {Seconds} s; " +
        "systemd was not told the agent is ready")]
    private static partial void LogNeverServing(ILogger logger, double seconds);
}
