using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Hosting.Systemd;

namespace Mizan.Agent.Tests.Hosting.Systemd;

public sealed class SystemdWatchdogTests
{
    [Fact]
    public async Task PingsAtOnceThenEveryHalfOfTheWatchdogInterval()
    {
        using var listener = new NotifySocketListener();
        using var notifier = new SystemdNotifier(listener.Path, TimeSpan.FromSeconds(10));
        var time = new FakeTimeProvider();
        using var watchdog = new SystemdWatchdog(notifier, time, NullLogger<SystemdWatchdog>.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        Assert.Equal("WATCHDOG=1", listener.Receive());

        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(listener.IsEmpty);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("WATCHDOG=1", listener.Receive());
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("WATCHDOG=1", listener.Receive());

        await watchdog.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task WithoutWatchdogSecNothingIsSent()
    {
        using var listener = new NotifySocketListener();
        using var notifier = new SystemdNotifier(listener.Path, watchdogInterval: null);
        var time = new FakeTimeProvider();
        using var watchdog = new SystemdWatchdog(notifier, time, NullLogger<SystemdWatchdog>.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(5));
        await watchdog.StopAsync(CancellationToken.None);

        Assert.True(listener.IsEmpty);
    }
}
