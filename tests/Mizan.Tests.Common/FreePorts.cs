using System.Net;
using System.Net.Sockets;

namespace Mizan.Tests.Common;

/// <summary>Hands out 127.0.0.1 ports nobody listens on, never the same one twice in a test run.</summary>
public static class FreePorts
{
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free 127.0.0.1 port found after 100 attempts");
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive 127.0.0.1 ports nothing listens on, in [<paramref name="from"/>,
    /// <paramref name="to"/>), none handed out before in this run. The default range lies below the kernel's ephemeral
    /// range (32768-60999), where <see cref="Next"/> finds its ports and outgoing connections take theirs, and below
    /// 20000-29999, where the systemd suite, which may run at the same time, picks its own blocks.
    /// </summary>
    public static int NextBlock(int count, int from = 10_000, int to = 20_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var first = Random.Shared.Next(from, to - count + 1);
                var ports = Enumerable.Range(first, count).ToList();
                if (!ports.Any(HandedOut.Contains) && ports.All(Bindable))
                {
                    HandedOut.UnionWith(ports);
                    return first;
                }
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free 127.0.0.1 ports found in {from}-{to - 1} after 200 attempts");
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
