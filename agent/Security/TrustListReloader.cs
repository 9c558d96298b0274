using System.Runtime.InteropServices;
using Mizan.Agent.Configuration;

namespace Mizan.Agent.Security;

/// <summary>
/// On SIGHUP (`systemctl reload`) re-reads the configuration file and swaps in its Security:Clients. A file that does
/// not pass validation changes nothing: the old list stays and the error, naming the key, is logged.
/// </summary>
public sealed class TrustListReloader(TrustList trust, string configPath, bool explicitPath, ILogger<TrustListReloader> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Reload();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    /// <summary>True when the file was valid and the list (possibly unchanged) is now the file's.</summary>
    public bool Reload()
    {
        AgentOptions options;
        try
        {
            var configuration = new ConfigurationBuilder();
            AgentConfiguration.AddSources(configuration, configPath, explicitPath);
            options = AgentConfiguration.Load(configuration.Build(), configPath);
        }
        catch (Exception ex) when (ex is InvalidConfigurationException or InvalidDataException or FormatException or IOException)
        {
            logger.LogError("Trust list not reloaded, the previous one stays in force: {Reason}", ex.Message);
            return false;
        }

        var change = trust.Replace(options.Security.Clients);
        logger.LogInformation("Trust list reloaded from {ConfigPath}: {ClientCount} client(s); {Change}", configPath, trust.ClientCount, change.ToString());
        return true;
    }
}
