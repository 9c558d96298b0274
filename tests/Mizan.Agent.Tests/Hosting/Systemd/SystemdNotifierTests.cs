using Mizan.Agent.Hosting.Systemd;

namespace Mizan.Agent.Tests.Hosting.Systemd;

public sealed class SystemdNotifierTests
{
    [Fact]
    public void ReadySendsReadyWithAStatusToTheNotifySocket()
    {
        using var listener = new NotifySocketListener();
        using var notifier = new SystemdNotifier(listener.Path, watchdogInterval: null);

        Assert.True(notifier.Send("READY=1\nSTATUS=x"));
        notifier.Ready("serving gRPC");

        Assert.Equal("READY=1\nSTATUS=x", listener.Receive());
        Assert.Equal("READY=1\nSTATUS=serving gRPC", listener.Receive());
    }

    [Fact]
    public void ReloadingCarriesTheMonotonicClock()
    {
        using var listener = new NotifySocketListener();
        using var notifier = new SystemdNotifier(listener.Path, watchdogInterval: null);

        notifier.Reloading();

        var message = listener.Receive();
        Assert.StartsWith("RELOADING=1\n", message, StringComparison.Ordinal);
        Assert.Matches(@"\nMONOTONIC_USEC=[1-9][0-9]*$", message);
    }

    [Fact]
    public void WithoutNotifySocketNothingIsSentAndNothingFails()
    {
        using var notifier = SystemdNotifier.FromEnvironment(_ => null);

        Assert.False(notifier.IsActive);
        Assert.False(notifier.Send("READY=1"));
        Assert.Null(notifier.WatchdogInterval);
    }

    [Fact]
    public void AGoneSocketIsNotAnError()
    {
        string path;
        using (var listener = new NotifySocketListener())
        {
            path = listener.Path;
        }

        using var notifier = new SystemdNotifier(path, watchdogInterval: null);
        Assert.False(notifier.Send("WATCHDOG=1"));
    }

    [Theory]
    [InlineData("10000000", null, 10.0)]
    [InlineData("10000000", "4242", 10.0)]
    [InlineData("10000000", "1", null)]
    [InlineData(null, null, null)]
    [InlineData("0", null, null)]
    [InlineData("ten", null, null)]
    public void TheWatchdogIntervalIsOursOnlyWhenWatchdogPidNamesUs(string? usec, string? pid, double? seconds)
    {
        var environment = new Dictionary<string, string?> { ["WATCHDOG_USEC"] = usec, ["WATCHDOG_PID"] = pid };

        var interval = SystemdNotifier.WatchdogIntervalFrom(name => environment.GetValueOrDefault(name), processId: 4242);

        Assert.Equal(seconds, interval?.TotalSeconds);
    }
}
