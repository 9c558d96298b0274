using System.Net.Security;
using System.Security.Cryptography;
using Mizan.Control.Connection;

namespace Mizan.Control.Tests.Connection;

public class ServerCertificatePinTests
{
    [Fact]
    public void Validate_SameThumbprint_AcceptsDespiteChainErrors()
    {
        using var server = TestCertificates.Server();
        var pin = ServerCertificatePin.Parse(server.GetCertHashString(HashAlgorithmName.SHA256));

        var accepted = pin.Validate(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch);

        Assert.True(accepted);
        Assert.Null(pin.Mismatched);
    }

    [Fact]
    public void Validate_OtherCertificate_RefusesAndRecordsBothThumbprints()
    {
        using var pinned = TestCertificates.Server();
        using var attacker = TestCertificates.Server();
        var pin = ServerCertificatePin.Parse(pinned.GetCertHashString(HashAlgorithmName.SHA256));

        var accepted = pin.Validate(this, attacker, null, SslPolicyErrors.None);

        Assert.False(accepted);
        var attackerThumbprint = attacker.GetCertHashString(HashAlgorithmName.SHA256);
        Assert.Equal(attackerThumbprint, pin.Mismatched);
        var message = pin.DescribeMismatch();
        Assert.Contains("thumbprint differs", message, StringComparison.Ordinal);
        Assert.Contains(pin.Expected, message, StringComparison.Ordinal);
        Assert.Contains(attackerThumbprint, message, StringComparison.Ordinal);
        Assert.Contains("attacker", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoCertificate_Refuses()
    {
        var pin = ServerCertificatePin.Parse(new string('A', 64));

        Assert.False(pin.Validate(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.Equal("none", pin.Mismatched);
    }

    [Fact]
    public void Parse_LowercaseWithColons_MatchesCertificate()
    {
        using var server = TestCertificates.Server();
        var hex = server.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();
        var withColons = string.Join(':', Enumerable.Range(0, 32).Select(i => hex.Substring(i * 2, 2)));

        var pin = ServerCertificatePin.Parse(withColons);

        Assert.True(pin.Matches(server));
        Assert.Equal(hex.ToUpperInvariant(), pin.Expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00")]
    [InlineData("3F2B4C1D9E8A7B6C5D4E3F2A1B0C9D8E7F6A5B4C")]
    public void Parse_NotSha256Hex_ThrowsUsageException(string value) =>
        Assert.Throws<UsageException>(() => ServerCertificatePin.Parse(value));
}
