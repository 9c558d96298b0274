using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mizan.Control.Commands;

namespace Mizan.Control.Tests;

internal static class TestCertificates
{
    public static X509Certificate2 Client(string name = "ci-test") =>
        ClientCertificateFactory.Create(name, 1, DateTimeOffset.UtcNow);

    /// <summary>A self-signed server certificate for 127.0.0.1, as the agent generates on first start.</summary>
    public static X509Certificate2 Server()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mizan-agent-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12, so the key is usable by SslStream on the server side.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
