using System.Globalization;
using System.Text;
using System.Text.Json;
using Mizan.Control.Commands;

namespace Mizan.Control.Output;

/// <summary>What `mizanctl cert new` prints: the thumbprint for the agent's configuration, the bundle for a CI secret.</summary>
public static class NewCertificateRenderer
{
    public const string BundleBegin = "-----BEGIN MIZAN CLIENT CERTIFICATE (base64 PKCS#12)-----";
    public const string BundleEnd = "-----END MIZAN CLIENT CERTIFICATE-----";

    public static string Text(NewClientCertificate certificate) =>
        $"""
        Client certificate '{certificate.Name}' written to {certificate.Path} (valid until {certificate.NotAfter.ToUniversalTime().ToString(
            "yyyy-MM-dd",
            CultureInfo.InvariantCulture)}); keep it secret.

        SHA-256 thumbprint, for the agent's Security:Clients[].Thumbprints:
          {certificate.Thumbprint}

        Base64 PKCS#12 bundle, for a CI secret read as $MIZAN_CLIENT_CERT (everything between the markers, one line):
        {BundleBegin}
        {certificate.Pkcs12Base64}
        {BundleEnd}
        """;

    public static string Json(NewClientCertificate certificate)
    {
        // Written by hand: no reflection-based serializer, so Native AOT stays possible.
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("name", certificate.Name);
            writer.WriteString("file", certificate.Path);
            writer.WriteString("thumbprint", certificate.Thumbprint);
            writer.WriteString("notAfter", certificate.NotAfter.ToUniversalTime());
            writer.WriteString("pkcs12Base64", certificate.Pkcs12Base64);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
