using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Access;

/// <summary>
/// The TCP listener (Security:Tcp): HTTP/2 over TLS only, with a client certificate required at the handshake and
/// accepted only when its SHA-256 thumbprint is in the trust list right now and it is within its validity dates.
/// No certificate chain is built or needed: trust is the thumbprint. The listener has its own connection limit
/// (<see cref="TcpConnectionLimit"/>), so a flood of connections here leaves the unix socket serving.
/// </summary>
public static partial class MutualTlsListener
{
    public static void Listen(KestrelServerOptions kestrel, TcpListenerOptions tcp, X509Certificate2 serverCertificate, TrustList trust, TimeProvider time)
    {
        var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MutualTlsListener));
        var limit = new TcpConnectionLimit(tcp.MaxConnections, tcp.MaxStreamsPerConnection, logger);
        kestrel.Listen(IPAddress.Parse(tcp.Address), tcp.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            // First, so the count sees the raw connection and a refused one never reaches the TLS handshake.
            listen.Use(limit.Wrap);
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                CheckCertificateRevocation = false,
                ClientCertificateValidation = (certificate, _, _) => Admit(certificate, trust, time.GetUtcNow(), logger),
                HandshakeTimeout = TimeSpan.FromSeconds(10),
            });
        });
    }

    // A refused handshake never becomes a call, so it is not in the audit log: say it here, so an operator sees a CI job
    // failing on a rotated or wrong certificate.
    private static bool Admit(X509Certificate2 certificate, TrustList trust, DateTimeOffset now, ILogger logger)
    {
        if (IsAcceptable(certificate, trust, now))
        {
            return true;
        }

        var thumbprint = Thumbprints.Of(certificate);
        var why = trust.Find(thumbprint) is null ? "not trusted" : "outside its validity dates";
        LogRefused(logger, Thumbprints.Prefix(thumbprint), certificate.Subject, why);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a TLS client certificate {ThumbprintPrefix} ({Subject}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string thumbprintPrefix, string subject, string reason);

    public static bool IsAcceptable(X509Certificate2 certificate, TrustList trust, DateTimeOffset now) =>
        now >= certificate.NotBefore.ToUniversalTime() && now <= certificate.NotAfter.ToUniversalTime() && trust.Find(Thumbprints.Of(certificate)) is not null;
}
