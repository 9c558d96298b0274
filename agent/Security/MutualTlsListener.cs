using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Mizan.Agent.Configuration;

namespace Mizan.Agent.Security;

/// <summary>
/// The TCP listener (Security:Tcp): HTTP/2 over TLS only, with a client certificate required at the handshake and
/// accepted only when its SHA-256 thumbprint is in the trust list right now and it is within its validity dates.
/// No certificate chain is built or needed: trust is the thumbprint.
/// </summary>
public static class MutualTlsListener
{
    public static void Listen(KestrelServerOptions kestrel, TcpListenerOptions tcp, X509Certificate2 serverCertificate, TrustList trust, TimeProvider time)
    {
        kestrel.Listen(IPAddress.Parse(tcp.Address), tcp.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                CheckCertificateRevocation = false,
                ClientCertificateValidation = (certificate, _, _) => IsAcceptable(certificate, trust, time.GetUtcNow()),
                HandshakeTimeout = TimeSpan.FromSeconds(10),
            });
        });
    }

    public static bool IsAcceptable(X509Certificate2 certificate, TrustList trust, DateTimeOffset now) =>
        now >= certificate.NotBefore.ToUniversalTime() && now <= certificate.NotAfter.ToUniversalTime() && trust.Find(Thumbprints.Of(certificate)) is not null;
}
