using System.CommandLine;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mizan.Control.Tests.Connection;

/// <summary>
/// mizanctl against a real TLS server on 127.0.0.1 (an SslStream that asks for a client certificate, then hangs up):
/// the pin and the client certificate are exercised in a real handshake; the gRPC side is the agent's tests' job.
/// </summary>
public sealed class MutualTlsHandshakeTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-tls-").FullName;
    private readonly X509Certificate2 server = TestCertificates.Server();
    private readonly X509Certificate2 client = TestCertificates.Client("ci-e2e");
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private string? clientThumbprintSeen;

    public MutualTlsHandshakeTests() => listener.Start();

    public void Dispose()
    {
        listener.Stop();
        this.server.Dispose();
        this.client.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    private async Task ServeOneHandshakeAsync()
    {
        using var tcp = await listener.AcceptTcpClientAsync();
        // The test server takes whichever client certificate arrives: what it records is the client code under test.
#pragma warning disable CA5359
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
#pragma warning restore CA5359
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = this.server,
                ClientCertificateRequired = true,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
            });
            clientThumbprintSeen = tls.RemoteCertificate?.GetCertHashString(HashAlgorithmName.SHA256);
        }
        catch (Exception exception) when (exception is IOException or System.Security.Authentication.AuthenticationException)
        {
            // The client refused our certificate.
        }
    }

    private async Task<(int ExitCode, string Error)> StatusAsync(string pin)
    {
        var pfx = Path.Combine(directory, "ci.pfx");
        await File.WriteAllBytesAsync(pfx, this.client.Export(X509ContentType.Pkcs12));
        var error = new StringWriter();
        var server = ServeOneHandshakeAsync();
        var exitCode = await Program.BuildRootCommand(_ => null)
            .Parse(["--agent", $"https://127.0.0.1:{Port}", "--agent-thumbprint", pin, "--client-cert", pfx, "--retries", "0", "status"])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        await server.WaitAsync(TimeSpan.FromSeconds(10));
        return (exitCode, error.ToString());
    }

    [Fact]
    public async Task Status_ServerThumbprintDiffers_ExitsThreeNamingBothAndAttacker()
    {
        using var other = TestCertificates.Server();
        var pinned = other.GetCertHashString(HashAlgorithmName.SHA256);

        var (exitCode, error) = await StatusAsync(pinned);

        Assert.Equal(3, exitCode);
        Assert.Contains("thumbprint differs", error, StringComparison.Ordinal);
        Assert.Contains(pinned, error, StringComparison.Ordinal);
        Assert.Contains(this.server.GetCertHashString(HashAlgorithmName.SHA256), error, StringComparison.Ordinal);
        Assert.Contains("attacker", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_PinMatchesInAnyCaseWithColons_HandshakeCompletesWithClientCertificate()
    {
        var hex = this.server.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();
        var pin = string.Join(':', Enumerable.Range(0, 32).Select(i => hex.Substring(i * 2, 2)));

        var (_, error) = await StatusAsync(pin);

        Assert.DoesNotContain("thumbprint differs", error, StringComparison.Ordinal);
        Assert.Equal(this.client.GetCertHashString(HashAlgorithmName.SHA256), clientThumbprintSeen);
    }
}
