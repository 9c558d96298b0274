using System.Security.Cryptography.X509Certificates;
using Mizan.Control.Connection;

namespace Mizan.Control.Tests.Connection;

public class TlsSettingsTests
{
    private static readonly AgentAddress Remote = AgentAddress.Parse("https://box.example:7443");
    private static readonly string Pin = new('a', 64);

    [Fact]
    public void Resolve_HttpsWithoutPin_RefusesTrustOnFirstUse()
    {
        using var client = TestCertificates.Client();
        var base64 = Convert.ToBase64String(client.Export(X509ContentType.Pkcs12));

        var exception = Assert.Throws<UsageException>(() =>
            TlsSettings.Resolve(Remote, null, null, null, name => name == "MIZAN_CLIENT_CERT" ? base64 : null));

        Assert.Contains("--agent-thumbprint", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_HttpsWithoutClientCertificate_ThrowsUsageException()
    {
        var exception = Assert.Throws<UsageException>(() => TlsSettings.Resolve(Remote, Pin, null, null, _ => null));

        Assert.Contains("client certificate", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_HttpsPinAndCertificateFromEnvironment_ReturnsBoth()
    {
        using var client = TestCertificates.Client();
        var base64 = Convert.ToBase64String(client.Export(X509ContentType.Pkcs12));
        Func<string, string?> environment = name => name switch
        {
            "MIZAN_CLIENT_CERT" => base64,
            "MIZAN_AGENT_THUMBPRINT" => Pin,
            _ => null,
        };

        using var tls = TlsSettings.Resolve(Remote, null, null, null, environment);

        Assert.NotNull(tls);
        Assert.Equal(Pin.ToUpperInvariant(), tls.Pin.Expected);
        Assert.Equal(client.Thumbprint, tls.ClientCertificate.Thumbprint);
    }

    [Fact]
    public void Resolve_UnixSocket_ReturnsNullEvenWithTlsEnvironment() =>
        Assert.Null(TlsSettings.Resolve(AgentAddress.UnixSocket("/tmp/a.sock"), null, null, null, _ => "garbage"));
}
