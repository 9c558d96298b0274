using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Mizan.Agent.Access;

/// <summary>SHA-256 certificate thumbprints: 64 hex digits, compared case-insensitively, kept in lowercase.</summary>
public static partial class Thumbprints
{
    [GeneratedRegex("^[0-9a-fA-F]{64}\\z")]
    private static partial Regex Sha256Pattern();

    public static bool IsSha256(string value) => Sha256Pattern().IsMatch(value);

    public static string Normalize(string value) => value.ToLowerInvariant();

    public static string Of(X509Certificate2 certificate) => Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>Enough of a thumbprint to tell certificates apart in a log line.</summary>
    public static string Prefix(string thumbprint) => thumbprint.Length <= 12 ? thumbprint : $"{thumbprint[..12]}…";
}
