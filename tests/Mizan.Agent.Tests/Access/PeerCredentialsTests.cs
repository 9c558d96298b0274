using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Mizan.Agent.Access;

namespace Mizan.Agent.Tests.Access;

public sealed class PeerCredentialsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-peer-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task From_UnixSocketConnection_ReportsThisProcessAndUser()
    {
        var path = Path.Combine(directory, "s.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        using var accepted = await listener.AcceptAsync();
        var context = new DefaultHttpContext();
        context.Features.Set<IConnectionSocketFeature>(new SocketFeature(accepted));

        var peer = PeerCredentials.From(context);

        Assert.NotNull(peer);
        Assert.Equal(Environment.ProcessId, peer.ProcessId);
        Assert.Equal(CurrentUserId(), peer.UserId);
    }

    [Fact]
    public void From_NoSocket_ReturnsNull()
    {
        Assert.Null(PeerCredentials.From(new DefaultHttpContext()));
    }

    // /proc/self/status: "Uid:\treal\teffective\t..."
    private static int CurrentUserId() =>
        int.Parse(
            File.ReadLines("/proc/self/status")
                .First(line => line.StartsWith("Uid:", StringComparison.Ordinal))
                .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture);

    private sealed class SocketFeature(Socket socket) : IConnectionSocketFeature
    {
        public Socket Socket { get; } = socket;
    }
}
