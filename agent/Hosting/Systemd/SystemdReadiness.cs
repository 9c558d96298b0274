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
public sealed class SystemdReadiness(
    SystemdNotifier notifier,
    HealthServiceImpl health,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SystemdReadiness> logger) : IHostedService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(1);

    private Task _readiness = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!notifier.IsActive)
        {
            return Task.CompletedTask;
        }

        lifetime.ApplicationStarted.Register(() => _readiness = Task.Run(() => NotifyWhenServingAsync(lifetime.ApplicationStopping)));
        lifetime.ApplicationStopping.Register(notifier.Stopping);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await _readiness.WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Polls the health status until SERVING; true when READY=1 was sent.</summary>
    public async Task<bool> NotifyWhenServingAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + GiveUpAfter;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await IsServingAsync().ConfigureAwait(false))
            {
                notifier.Ready("serving gRPC");
                logger.LogInformation("Told systemd the agent is ready (READY=1)");
                return true;
            }

            if (time.GetUtcNow() > deadline)
            {
                // systemd's TimeoutStartSec will stop the unit; say why first.
                logger.LogError("The gRPC health service never reported SERVING within {Seconds} s; systemd was not told the agent is ready", GiveUpAfter.TotalSeconds);
                return false;
            }

            try
            {
                await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
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
            var response = await health.Check(new HealthCheckRequest(), context: null!).ConfigureAwait(false);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (Grpc.Core.RpcException)
        {
            return false;
        }
    }
}
