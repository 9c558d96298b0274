using System.Net.Sockets;
using Grpc.Net.Client;

namespace Mizan.Control.Connection;

public static class AgentChannelFactory
{
    public static GrpcChannel Create(AgentAddress address) => address.Transport switch
    {
        AgentTransport.UnixSocket => ForUnixSocket(address.SocketPath),
        AgentTransport.Http => GrpcChannel.ForAddress(address.HttpUri!),
        // https with mutual TLS (another issue) gets its own transport and handler with client certificates here.
        _ => throw new ArgumentOutOfRangeException(nameof(address), address.Transport, "unsupported agent transport"),
    };

    private static GrpcChannel ForUnixSocket(string socketPath)
    {
        var endPoint = new UnixDomainSocketEndPoint(socketPath);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        // The host is never resolved: every connection goes through the socket above.
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
    }
}
