using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mizan.Control.Connection;

namespace Mizan.Control.Tests.Connection;

public sealed class ClientCertificatesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-cert-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;

    private string WritePfx(X509Certificate2 certificate, string? password)
    {
        var path = Path.Combine(directory, "client.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    [Fact]
    public void Load_File_ReturnsCertificateWithPrivateKey()
    {
        using var original = TestCertificates.Client();
        var path = WritePfx(original, null);

        using var loaded = ClientCertificates.Load(path, null, Env());

        Assert.NotNull(loaded);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(original.GetCertHashString(HashAlgorithmName.SHA256), loaded.GetCertHashString(HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Load_FileWithPasswordFromEnvironment_Loads()
    {
        using var original = TestCertificates.Client();
        var path = WritePfx(original, "s3cret");

        using var loaded = ClientCertificates.Load(path, null, Env(("MIZAN_CLIENT_CERT_PASSWORD", "s3cret")));

        Assert.Equal(original.Thumbprint, loaded!.Thumbprint);
    }

    [Fact]
    public void Load_FileWrongPassword_ThrowsUsageExceptionMentioningPassword()
    {
        using var original = TestCertificates.Client();
        var path = WritePfx(original, "s3cret");

        var exception = Assert.Throws<UsageException>(() => ClientCertificates.Load(path, "wrong", Env()));

        Assert.Contains("password", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsUsageException()
    {
        var exception = Assert.Throws<UsageException>(() => ClientCertificates.Load(Path.Combine(directory, "nope.pfx"), null, Env()));

        Assert.Contains("--client-cert", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Base64InEnvironment_ReturnsCertificate()
    {
        using var original = TestCertificates.Client();
        var base64 = Convert.ToBase64String(original.Export(X509ContentType.Pkcs12), Base64FormattingOptions.InsertLineBreaks);

        using var loaded = ClientCertificates.Load(null, null, Env(("MIZAN_CLIENT_CERT", base64 + "\n")));

        Assert.NotNull(loaded);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(original.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void Load_FileAndEnvironment_FileWins()
    {
        using var fromFile = TestCertificates.Client("file");
        using var fromEnvironment = TestCertificates.Client("env");
        var path = WritePfx(fromFile, null);

        using var loaded = ClientCertificates.Load(
            path, null, Env(("MIZAN_CLIENT_CERT", Convert.ToBase64String(fromEnvironment.Export(X509ContentType.Pkcs12)))));

        Assert.Equal(fromFile.Thumbprint, loaded!.Thumbprint);
    }

    [Fact]
    public void Load_EnvironmentNotBase64_ThrowsUsageException()
    {
        var exception = Assert.Throws<UsageException>(() => ClientCertificates.Load(null, null, Env(("MIZAN_CLIENT_CERT", "not base64 !!"))));

        Assert.Contains("MIZAN_CLIENT_CERT", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateWithoutKey_ThrowsUsageException()
    {
        using var original = TestCertificates.Client();
        using var publicOnly = X509CertificateLoader.LoadCertificate(original.RawData);
        var base64 = Convert.ToBase64String(publicOnly.Export(X509ContentType.Pkcs12));

        var exception = Assert.Throws<UsageException>(() => ClientCertificates.Load(null, null, Env(("MIZAN_CLIENT_CERT", base64))));

        Assert.Contains("private key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NothingGiven_ReturnsNull() =>
        Assert.Null(ClientCertificates.Load(null, null, Env()));
}
