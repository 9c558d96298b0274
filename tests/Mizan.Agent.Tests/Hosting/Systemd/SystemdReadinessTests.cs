using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Mizan.Agent.Hosting.Systemd;

namespace Mizan.Agent.Tests.Hosting.Systemd;

public sealed class SystemdReadinessTests
{
    [Fact]
    public async Task ReadyIsSentOnlyOnceHealthIsServing()
    {
        using var listener = new NotifySocketListener();
        using var notifier = new SystemdNotifier(listener.Path, watchdogInterval: null);
        var health = new HealthServiceImpl();
        health.SetStatus("", HealthCheckResponse.Types.ServingStatus.NotServing);
        var readiness = new SystemdReadiness(notifier, health, new TestLifetime(), TimeProvider.System, NullLogger<SystemdReadiness>.Instance);

        var ready = readiness.NotifyWhenServingAsync(CancellationToken.None);
        Assert.False(ready.IsCompleted);
        Assert.True(listener.IsEmpty);

        health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);

        Assert.True(await ready.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("READY=1\nSTATUS=serving gRPC", listener.Receive());
    }

    private sealed class TestLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
