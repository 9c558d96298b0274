using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Access;

/// <summary>
/// The certificate the TCP listener presents: Security:Tcp:CertificatePath (PKCS#12) when set, else one generated on
/// first use (ECDSA P-256, self-signed, CN = host name, 2 years) and kept at DataDirectory/server.pfx, mode 0600.
/// Clients pin it by its SHA-256 thumbprint (`mizan-agent cert show`), so no certificate authority is involved.
/// </summary>
public static class ServerCertificate
{
    public const string GeneratedFileName = "server.pfx";
    public static readonly TimeSpan Validity = TimeSpan.FromDays(730);

    public static X509Certificate2 LoadOrCreate(AgentOptions options, TimeProvider time)
    {
        var tcp = options.Security.Tcp;
        if (tcp.CertificatePath.Length > 0)
        {
            return Load(tcp.CertificatePath, tcp.CertificatePassword, "Security:Tcp:CertificatePath");
        }

        var path = Path.Combine(options.Agent.DataDirectory, GeneratedFileName);
        if (!File.Exists(path))
        {
            Create(path, time);
        }

        return Load(path, null, path);
    }

    private static X509Certificate2 Load(string path, string? password, string key)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidConfigurationException(path, [$"{key}: the server certificate cannot be read as PKCS#12: {ex.Message}"]);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidConfigurationException(path, [$"{key}: the PKCS#12 file holds no private key"]);
        }

        return certificate;
    }

    private static void Create(string path, TimeProvider time)
    {
        var host = Dns.GetHostName();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={host}"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));
        var bytes = certificate.Export(X509ContentType.Pkcs12);

        // Written aside and moved into place, so a concurrent `cert show` and agent start agree on one certificate.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var file = new FileStream(
            temporary,
            new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);

            // The rename is on disk only once its directory is: a power loss must not take away the certificate that
            // clients have pinned since.
            DurableFile.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (IOException) when (File.Exists(path) && File.Exists(temporary))
        {
            File.Delete(temporary);
        }
    }
}
