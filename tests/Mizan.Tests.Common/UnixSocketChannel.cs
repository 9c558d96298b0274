using Grpc.Net.Client;

namespace Mizan.Tests.Common;

/// <summary>A gRPC channel to a server listening on a unix socket (HTTP/2 without TLS).</summary>
public static class UnixSocketChannel
{
    public static GrpcChannel Create(string socketPath)
    {
        var handler = UnixSocketHandler.Create(socketPath);
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
