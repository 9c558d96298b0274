using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mizan.Control.Connection;

/// <summary>
/// The agent's certificate, pinned by its SHA-256 thumbprint (--agent-thumbprint or MIZAN_AGENT_THUMBPRINT).
/// The pin replaces CA validation entirely: the certificate is accepted when, and only when, its thumbprint matches.
/// </summary>
public sealed class ServerCertificatePin
{
    public const string EnvironmentVariable = "MIZAN_AGENT_THUMBPRINT";

    private const int Sha256HexLength = 64;

    private ServerCertificatePin(string expected) => Expected = expected;

    /// <summary>Uppercase hex, no separators.</summary>
    public string Expected { get; }

    /// <summary>The thumbprint the agent presented when it did not match the pin ("none" without a certificate); null otherwise.</summary>
    public string? Mismatched { get; private set; }

    /// <exception cref="UsageException">Not 64 hex digits (colons and spaces between them are allowed).</exception>
    public static ServerCertificatePin Parse(string value) =>
        TryNormalize(value, out var normalized)
            ? new ServerCertificatePin(normalized)
            : throw new UsageException(
                $"--agent-thumbprint '{value}' is not a SHA-256 thumbprint: expected 64 hex digits (colons allowed), as printed by `mizan-agent cert show`.");

    /// <summary>Uppercase hex without colons or spaces; false unless that is exactly 64 hex digits.</summary>
    public static bool TryNormalize(string value, out string normalized)
    {
        var hex = value.Trim().Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        normalized = hex;
        return hex.Length == Sha256HexLength && hex.All(char.IsAsciiHexDigit);
    }

    public static string ThumbprintOf(X509Certificate certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public bool Matches(X509Certificate? certificate) =>
        certificate is not null && string.Equals(ThumbprintOf(certificate), Expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// For <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>: chain and name errors are
    /// ignored on purpose (the agent's certificate is self-signed); only the thumbprint decides.
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (Matches(certificate))
        {
            return true;
        }

        Mismatched = certificate is null ? "none" : ThumbprintOf(certificate);
        return false;
    }

    public string DescribeMismatch() =>
        $"the agent's certificate thumbprint differs from the pinned one: expected {Expected}, the server presented {Mismatched}. " +
        "This may be an attacker intercepting the connection; nothing was sent.";
}
