using Mizan.Agent.Access;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Configuration;

namespace Mizan.Agent.Hosting;

/// <summary>
/// `mizan-agent cert show [--pem] [--config PATH]`: prints the server certificate's SHA-256 thumbprint (creating the
/// certificate when there is none yet); with --pem also the public certificate, for clients that trust a PEM rather
/// than pin a thumbprint (grpcio, grpc-js). The private key is never printed.
/// </summary>
public static class CertCommand
{
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "cert";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1] != "show")
        {
            await Console.Error.WriteLineAsync("usage: mizan-agent cert show [--pem] [--config PATH]");
            return 2;
        }

        try
        {
            var file = ConfigurationFile.FromArguments(args);
            var configuration = new ConfigurationBuilder();
            AgentConfiguration.AddSources(configuration, file);
            var options = AgentConfiguration.Load(configuration.Build(), file.Path);
            using var certificate = ServerCertificate.LoadOrCreate(options, TimeProvider.System);
            await Console.Out.WriteLineAsync(Thumbprints.Of(certificate));
            if (args.Contains("--pem"))
            {
                await Console.Out.WriteLineAsync(certificate.ExportCertificatePem());
            }

            return 0;
        }
        catch (Exception ex) when (ex is InvalidConfigurationException or InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"mizan-agent: {ex.Message}");
            return 2;
        }
    }
}
