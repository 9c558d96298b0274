using System.Security.Cryptography.X509Certificates;

namespace Mizan.Control.Connection;

/// <summary>What an https agent address needs: the client certificate to present and the pin of the agent's certificate.</summary>
public sealed record TlsSettings(X509Certificate2 ClientCertificate, ServerCertificatePin Pin) : IDisposable
{
    /// <summary>Null for unix sockets and plain http; for https both a pin and a client certificate are required.</summary>
    /// <exception cref="UsageException">https without a pin (no trust on first use) or without a client certificate.</exception>
    public static TlsSettings? Resolve(
        AgentAddress address,
        string? thumbprintOption,
        string? clientCertOption,
        string? passwordOption,
        Func<string, string?> environment)
    {
        if (address.Transport != AgentTransport.Https)
        {
            return null;
        }

        var thumbprint = Blank(thumbprintOption) ?? Blank(environment(ServerCertificatePin.EnvironmentVariable))
            ?? throw new UsageException(
                $"--agent {address}: https needs --agent-thumbprint SHA256 (or ${ServerCertificatePin.EnvironmentVariable}), the thumbprint " +
                "printed by `mizan-agent cert show` on the server; mizanctl never trusts an agent's certificate on first use.");
        var pin = ServerCertificatePin.Parse(thumbprint);
        var certificate = ClientCertificates.Load(clientCertOption, passwordOption, environment)
            ?? throw new UsageException(
                $"--agent {address}: https needs a client certificate: --client-cert FILE.pfx or ${ClientCertificates.EnvironmentVariable} " +
                "(base64 PKCS#12); `mizanctl cert new --name NAME` makes one.");
        return new TlsSettings(certificate, pin);
    }

    public void Dispose() => ClientCertificate.Dispose();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
