using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Mizan.Agent.Hosting.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram per state change to the unix socket systemd names in NOTIFY_SOCKET
/// ("READY=1", "WATCHDOG=1", "STOPPING=1", ...). Outside systemd (no NOTIFY_SOCKET) every call does nothing, so the
/// agent runs the same by hand, in tests and under systemd.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly UnixDomainSocketEndPoint? endpoint;
    private readonly Socket? socket;
    private readonly Lock sendLock = new();

    public SystemdNotifier(string? notifySocket, TimeSpan? watchdogInterval)
    {
        WatchdogInterval = watchdogInterval;
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        // A leading '@' names a socket in the abstract namespace, which the kernel spells with a NUL byte.
        endpoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>True when systemd (or a test) listens: NOTIFY_SOCKET was set.</summary>
    public bool IsActive => socket is not null;

    /// <summary>How often systemd expects WATCHDOG=1 (WATCHDOG_USEC); null when the unit has no WatchdogSec.</summary>
    public TimeSpan? WatchdogInterval { get; }

    public static SystemdNotifier FromEnvironment(Func<string, string?> environment) =>
        new(environment("NOTIFY_SOCKET"), WatchdogIntervalFrom(environment, Environment.ProcessId));

    /// <summary>
    /// WATCHDOG_USEC applies to this process only when WATCHDOG_PID is absent or names it: a child that inherited
    /// the variables (nginx, docker) must not take them for its own.
    /// </summary>
    public static TimeSpan? WatchdogIntervalFrom(Func<string, string?> environment, int processId)
    {
        if (environment("WATCHDOG_PID") is { Length: > 0 } pid && pid != processId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) && microseconds > 0
            ? TimeSpan.FromMicroseconds(microseconds)
            : null;
    }

    public void Ready(string status) => Send($"READY=1\nSTATUS={status}");

    public void Stopping() => Send("STOPPING=1\nSTATUS=stopping: letting a running deploy finish");

    public void WatchdogAlive() => Send("WATCHDOG=1");

    /// <summary>
    /// Sent before a reload; READY=1 after it. MONOTONIC_USEC is what systemd 253+ needs to tell this reload from an
    /// older one (Type=notify-reload); older systemd ignores it.
    /// </summary>
    public void Reloading() => Send($"RELOADING=1\nSTATUS=reloading the configuration\nMONOTONIC_USEC={MonotonicMicroseconds()}");

    /// <summary>
    /// Best effort, never throws: a notification that cannot be delivered must not stop a deploy. Returns whether it
    /// was sent, for tests and logs.
    /// </summary>
    public bool Send(string state)
    {
        if (socket is null || endpoint is null)
        {
            return false;
        }

        try
        {
            lock (sendLock)
            {
                socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, endpoint);
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose() => socket?.Dispose();

    // Stopwatch is CLOCK_MONOTONIC on Linux, the clock systemd compares MONOTONIC_USEC with.
    private static long MonotonicMicroseconds() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));
}
