using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mizan.Agent.Access;

namespace Mizan.Agent.Tests.Access;

public class ThumbprintsTests
{
    [Fact]
    public void Of_Certificate_IsLowercaseSha256OfTheDer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var thumbprint = Thumbprints.Of(certificate);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), thumbprint);
        Assert.True(Thumbprints.IsSha256(thumbprint));
    }

    [Theory]
    [InlineData("ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789", true)]
    [InlineData("abcdef", false)]
    [InlineData("AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89", false)]
    [InlineData("gbcdef0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789", false)]
    [InlineData("abcdef0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789\n", false)]
    public void IsSha256_Value_AcceptsOnly64Hex(string value, bool expected)
    {
        Assert.Equal(expected, Thumbprints.IsSha256(value));
    }
}
