using Microsoft.AspNetCore.Connections;

namespace Mizan.Agent.Access;

/// <summary>
/// The mutual-TLS listener's own connection limit, as connection middleware on that listener alone: Kestrel's limits
/// are server-wide, so they would shut the unix socket too, and a flood on TCP must never lock the local admin out.
/// A connection over Security:Tcp:MaxConnections is closed before its TLS handshake; each admitted one carries a
/// <see cref="TcpConnectionStreams"/> its calls count themselves on.
/// </summary>
public sealed partial class TcpConnectionLimit(int maxConnections, int maxStreamsPerConnection, ILogger logger)
{
    private int open;
    private int refusedWhileFull;

    public int OpenConnections => Volatile.Read(ref open);

    /// <summary>For ListenOptions.Use, before UseHttps, so a refused connection costs no handshake.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref open) > maxConnections)
        {
            Interlocked.Decrement(ref open);
            // Logged once per stretch of being full, not once per connection: a flood must not flood the log.
            if (Interlocked.Increment(ref refusedWhileFull) == 1)
            {
                LogFull(logger, maxConnections, connection.RemoteEndPoint?.ToString() ?? "unknown");
            }

            return;
        }

        try
        {
            if (Interlocked.Exchange(ref refusedWhileFull, 0) is var refused and > 0)
            {
                LogAdmittingAgain(logger, refused);
            }

            connection.Features.Set(new TcpConnectionStreams(maxStreamsPerConnection));
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref open);
        }
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "TCP listener full: {MaxConnections} connections are open (Security:Tcp:MaxConnections); " +
        "closing new ones, the first from {Remote}, until one ends. The unix socket still serves")]
    private static partial void LogFull(ILogger logger, int maxConnections, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "TCP listener admits connections again; {Refused} were closed while it was full")]
    private static partial void LogAdmittingAgain(ILogger logger, int refused);
}

/// <summary>The calls (HTTP/2 streams) open on one TCP connection, against Security:Tcp:MaxStreamsPerConnection.</summary>
public sealed class TcpConnectionStreams(int max)
{
    private int open;

    public int Max => max;

    public bool TryOpen()
    {
        if (Interlocked.Increment(ref open) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref open);
        return false;
    }

    public void Close() => Interlocked.Decrement(ref open);
}
