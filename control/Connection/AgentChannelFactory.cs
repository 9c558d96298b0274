using System.Net.Security;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace Mizan.Control.Connection;

public static class AgentChannelFactory
{
    /// <param name="address">Where the agent listens.</param>
    /// <param name="tls">Required for <see cref="AgentTransport.Https"/>, ignored otherwise.</param>
    public static GrpcChannel Create(AgentAddress address, TlsSettings? tls = null) => address.Transport switch
    {
        AgentTransport.UnixSocket => ForUnixSocket(address.SocketPath),
        AgentTransport.Http => GrpcChannel.ForAddress(address.HttpUri!),
        AgentTransport.Https => ForMutualTls(
            address.HttpUri!,
            tls ?? throw new ArgumentNullException(nameof(tls), "https needs a client certificate and a pin")),
        _ => throw new ArgumentOutOfRangeException(nameof(address), address.Transport, "unsupported agent transport"),
    };

    /// <summary>The handler behind an https channel: presents the client certificate, accepts only the pinned server certificate.</summary>
    public static SocketsHttpHandler CreateMutualTlsHandler(TlsSettings tls) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            // Sent whatever issuers the server names: the agent trusts client certificates by thumbprint, not by CA.
            ClientCertificateContext = SslStreamCertificateContext.Create(tls.ClientCertificate, additionalCertificates: null, offline: true),
            RemoteCertificateValidationCallback = tls.Pin.Validate,
        },
    };

    private static GrpcChannel ForMutualTls(Uri uri, TlsSettings tls) =>
        GrpcChannel.ForAddress(uri, new GrpcChannelOptions { HttpHandler = CreateMutualTlsHandler(tls), DisposeHttpClient = true });

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
