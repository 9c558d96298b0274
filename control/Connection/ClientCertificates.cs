using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mizan.Control.Connection;

/// <summary>The client certificate for mutual TLS: a PKCS#12 file, or a base64 PKCS#12 in an environment variable (a CI secret).</summary>
public static class ClientCertificates
{
    public const string EnvironmentVariable = "MIZAN_CLIENT_CERT";
    public const string PasswordEnvironmentVariable = "MIZAN_CLIENT_CERT_PASSWORD";

    /// <summary>From --client-cert FILE if given, else from MIZAN_CLIENT_CERT; null when neither is set.</summary>
    /// <exception cref="UsageException">The file or value cannot be read, the password is wrong, or there is no private key.</exception>
    public static X509Certificate2? Load(string? file, string? password, Func<string, string?> environment)
    {
        password = string.IsNullOrEmpty(password) ? environment(PasswordEnvironmentVariable) : password;
        if (!string.IsNullOrWhiteSpace(file))
        {
            return LoadFile(file, password);
        }

        var base64 = environment(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(base64) ? null : LoadBase64(base64, password);
    }

    public static X509Certificate2 LoadFile(string path, string? password)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--client-cert '{path}': {exception.Message}");
        }

        return FromPkcs12(bytes, password, $"--client-cert '{path}'");
    }

    public static X509Certificate2 LoadBase64(string base64, string? password)
    {
        byte[] bytes;
        try
        {
            // Whitespace and line breaks (a wrapped secret) are ignored by the decoder.
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new UsageException($"${EnvironmentVariable} is not base64: it should hold the bundle printed by `mizanctl cert new`.");
        }

        return FromPkcs12(bytes, password, $"${EnvironmentVariable}");
    }

    private static X509Certificate2 FromPkcs12(byte[] bytes, string? password, string source)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(bytes, password);
        }
        catch (CryptographicException exception)
        {
            throw new UsageException(
                $"{source} is not a readable PKCS#12 bundle ({exception.Message.TrimEnd('.')}); " +
                    $"wrong or missing password? (--client-cert-password or ${PasswordEnvironmentVariable})");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new UsageException($"{source} holds a certificate without its private key; use the .pfx written by `mizanctl cert new`.");
        }

        return certificate;
    }
}
