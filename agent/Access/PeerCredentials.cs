using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections.Features;

namespace Mizan.Agent.Access;

/// <summary>Who is on the other end of a unix-socket call, as the kernel says (SO_PEERCRED), not as the caller claims.</summary>
public sealed record PeerCredentials(int ProcessId, int UserId, int GroupId)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static PeerCredentials? From(HttpContext httpContext)
    {
        var socket = httpContext.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is not { AddressFamily: AddressFamily.Unix })
        {
            return null;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> buffer = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, buffer);
        if (length < 12)
        {
            return null;
        }

        return new PeerCredentials(MemoryMarshal.Read<int>(buffer), MemoryMarshal.Read<int>(buffer[4..]), MemoryMarshal.Read<int>(buffer[8..]));
    }

    public string Describe() => $"{User} pid {ProcessId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>"uid 0 (root)", or "uid 1234" when /etc/passwd has no name for it.</summary>
    public string User => $"uid {UserId.ToString(CultureInfo.InvariantCulture)}{(UserName is { } name ? $" ({name})" : "")}";

    /// <summary>The user name /etc/passwd gives the uid, null when it has none.</summary>
    public string? UserName => NameOf(UserId);

    private static string? NameOf(int uid)
    {
        try
        {
            var id = uid.ToString(CultureInfo.InvariantCulture);
            return File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(fields => fields.Length > 2 && fields[2] == id)?[0];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
