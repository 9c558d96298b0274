using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Mizan.Control.Connection;

namespace Mizan.Control.Commands;

/// <summary>What `mizanctl cert new` made.</summary>
public sealed record NewClientCertificate(string Name, string Path, string Thumbprint, DateTimeOffset NotAfter, string Pkcs12Base64);

/// <summary>Self-signed ECDSA P-256 client certificates, trusted by the agent by thumbprint (no CA).</summary>
public static partial class ClientCertificateFactory
{
    public const int DefaultDays = 730;
    public const int MaxDays = 3650;

    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Also the file name: letters, digits, dot, dash, underscore.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z")]
    public static partial Regex NamePattern();

    public static X509Certificate2 Create(string name, int days, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthenticationOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // A few minutes back, for a server clock slightly behind.
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(days));
    }

    /// <summary>Makes the certificate and writes NAME.pfx (mode 0600, never over an existing file) into <paramref name="directory"/>.</summary>
    /// <exception cref="UsageException">Bad name or days, or the file cannot be written.</exception>
    public static NewClientCertificate CreateFile(string name, string directory, int days, DateTimeOffset now)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new UsageException(
                $"--name '{name}' must be 1-64 of letters, digits, '.', '-', '_' (it names the .pfx file), starting with a letter or digit.");
        }

        if (days is <= 0 or > MaxDays)
        {
            throw new UsageException($"--days must be between 1 and {MaxDays}.");
        }

        using var certificate = Create(name, days, now);
        var pkcs12 = certificate.Export(X509ContentType.Pkcs12);
        var path = System.IO.Path.Combine(directory, name + ".pfx");
        try
        {
            using var file = new FileStream(
                path,
                new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            file.Write(pkcs12);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException(File.Exists(path)
                ? $"{path} already exists; remove it or choose another --name or --out."
                : $"cannot write {path}: {exception.Message}");
        }

        return new NewClientCertificate(name, path, ServerCertificatePin.ThumbprintOf(certificate), certificate.NotAfter, Convert.ToBase64String(pkcs12));
    }
}
