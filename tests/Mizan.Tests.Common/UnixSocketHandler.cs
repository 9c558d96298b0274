using System.Net.Sockets;

namespace Mizan.Tests.Common;

/// <summary>An HTTP handler whose every connection goes to one unix socket: the agent's gRPC socket, the Docker engine's.</summary>
public static class UnixSocketHandler
{
    /// <summary>The Docker engine's socket, for the few Engine API calls made without the docker CLI.</summary>
    public const string DockerSocket = "/var/run/docker.sock";

    public static SocketsHttpHandler Create(string socketPath) => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
