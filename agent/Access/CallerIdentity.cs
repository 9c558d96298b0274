using System.Globalization;
using Grpc.Core;

namespace Mizan.Agent.Access;

/// <summary>
/// Who a call comes from, whether or not authentication accepted it: the authenticated identity when there is one,
/// else what the connection shows (the unix peer's uid, the client certificate's thumbprint, the remote address).
/// The limits count callers by it, and the audit log names a refused caller with it.
/// </summary>
public static class CallerIdentity
{
    public static string Of(ServerCallContext context) => Caller.Of(context)?.Identity ?? Unauthenticated(context.GetHttpContext());

    /// <summary>
    /// For a call authentication refused. The remote address goes without its port, which changes with every
    /// connection: one host opening connection after connection is still one caller.
    /// </summary>
    public static string Unauthenticated(HttpContext http)
    {
        if (PeerCredentials.From(http) is { } peer)
        {
            return peer.User;
        }

        if (ThumbprintOf(http) is { } thumbprint)
        {
            return $"certificate {Thumbprints.Prefix(thumbprint)}";
        }

        return http.Connection.RemoteIpAddress is { } address ? $"address {address}" : "unknown";
    }

    /// <summary>The SHA-256 thumbprint of the client certificate the connection presented, null when none.</summary>
    public static string? ThumbprintOf(HttpContext http) => http.Connection.ClientCertificate is { } certificate ? Thumbprints.Of(certificate) : null;

    /// <summary>Where the call came from: "unix uid 0 (root) pid 42" or "203.0.113.5:50122".</summary>
    public static string PeerOf(HttpContext http)
    {
        if (PeerCredentials.From(http) is { } peer)
        {
            return $"unix {peer.Describe()}";
        }

        return http.Connection.RemoteIpAddress is { } address
            ? $"{address}:{http.Connection.RemotePort.ToString(CultureInfo.InvariantCulture)}"
            : "tcp";
    }
}
