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
}
