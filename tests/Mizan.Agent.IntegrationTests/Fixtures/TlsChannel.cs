using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// A gRPC channel to the agent's mutual-TLS listener on 127.0.0.1: presents <c>clientCertificate</c> (none when null)
/// and accepts the server only when its SHA-256 thumbprint is <c>serverThumbprint</c> (any when null, recording what it saw).
/// </summary>
public sealed class TlsChannel : IDisposable
{
    private TlsChannel(GrpcChannel channel)
    {
        Channel = channel;
    }

    public GrpcChannel Channel { get; }

    /// <summary>The thumbprint of the certificate the server presented in the last handshake.</summary>
    public string? SeenServerThumbprint { get; private set; }

    public static TlsChannel Create(int port, X509Certificate2? clientCertificate, string? serverThumbprint)
    {
        TlsChannel? result = null;
        var ssl = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                var seen = ClientCertificates.Thumbprint(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                result!.SeenServerThumbprint = seen;
                return serverThumbprint is null || string.Equals(seen, serverThumbprint, StringComparison.OrdinalIgnoreCase);
            },
        };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        var handler = new SocketsHttpHandler { SslOptions = ssl, UseProxy = false };
        var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        result = new TlsChannel(channel);
        return result;
    }

    public void Dispose() => Channel.Dispose();
}
