using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mizan.Control.Commands;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Commands;

public sealed class ClientCertificateFactoryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-certnew-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await Program.BuildRootCommand(_ => null).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void Create_Name_IsEcdsaP256ClientAuthWithCommonName()
    {
        using var certificate = ClientCertificateFactory.Create("ci-github", 730, DateTimeOffset.UtcNow);

        Assert.Equal("CN=ci-github", certificate.Subject);
        using var key = certificate.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages;
        Assert.Contains(usages.Cast<Oid>(), oid => oid.Value == "1.3.6.1.5.5.7.3.2");
        Assert.InRange((certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 729, 730.01);
    }

    [Fact]
    public async Task CertNew_Text_PrintsThumbprintOfWrittenFileAndItsBase64()
    {
        var (exitCode, output, _) = await RunAsync("cert", "new", "--name", "ci-github", "--out", directory, "--days", "30");

        Assert.Equal(0, exitCode);
        var path = Path.Combine(directory, "ci-github.pfx");
        using var fromFile = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        Assert.True(fromFile.HasPrivateKey);
        var thumbprint = fromFile.GetCertHashString(HashAlgorithmName.SHA256);
        Assert.Contains(thumbprint, output, StringComparison.Ordinal);
        var lines = output.Split('\n');
        var base64 = lines[Array.IndexOf(lines, NewCertificateRenderer.BundleBegin) + 1];
        Assert.Equal(File.ReadAllBytes(path), Convert.FromBase64String(base64));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task CertNew_Json_HasThumbprintAndLoadableBundle()
    {
        var (exitCode, output, _) = await RunAsync("cert", "new", "--name", "ci", "--out", directory, "-o", "json");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        using var fromBundle = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(root.GetProperty("pkcs12Base64").GetString()!), null);
        Assert.Equal(fromBundle.GetCertHashString(HashAlgorithmName.SHA256), root.GetProperty("thumbprint").GetString());
        Assert.Equal(Path.Combine(directory, "ci.pfx"), root.GetProperty("file").GetString());
        Assert.DoesNotContain("BEGIN", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertNew_ExistingFile_RefusesWithUsageAndKeepsFile()
    {
        await RunAsync("cert", "new", "--name", "ci", "--out", directory);
        var before = File.ReadAllBytes(Path.Combine(directory, "ci.pfx"));

        var (exitCode, _, error) = await RunAsync("cert", "new", "--name", "ci", "--out", directory);

        Assert.Equal(2, exitCode);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(directory, "ci.pfx")));
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("-x")]
    public async Task CertNew_BadName_RefusesWithUsage(string name)
    {
        var (exitCode, _, _) = await RunAsync("cert", "new", "--name", name, "--out", directory);

        Assert.Equal(2, exitCode);
        Assert.Empty(Directory.GetFiles(directory));
    }
}
