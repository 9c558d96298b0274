using System.Runtime.InteropServices;
using Mizan.Agent.Access;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Systemd;

namespace Mizan.Agent.Hosting.Configuration;

/// <summary>
/// On SIGHUP (`systemctl reload`) re-reads and validates the whole configuration file. A file that does not pass
/// validation changes nothing: the running configuration stays and the error, naming the key, is logged. A valid one
/// swaps in its Security:Clients at once; every other changed key is named in a warning, since it only takes effect
/// on a restart. Nothing here touches a running deploy.
/// </summary>
public sealed class TrustListReloader(
    TrustList trust,
    string configPath,
    bool explicitPath,
    ILogger<TrustListReloader> logger,
    SystemdNotifier? notifier = null) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;
    private IReadOnlyDictionary<string, string?>? _startedWith;
    private readonly Lock _reloadLock = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // What the agent runs with: read now, before any SIGHUP, to tell later which keys changed since the start.
        _startedWith = TryRead(out var configuration, out _) ? ConfigurationChanges.Snapshot(configuration!) : null;
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            // Off the signal thread, so a slow disk cannot delay another signal's handling.
            _ = Task.Run(() =>
            {
                try
                {
                    Reload();
                }
                catch (Exception ex)
                {
                    // Nothing awaits this task: a failure would otherwise vanish without a trace.
                    logger.LogError(ex, "Configuration reload failed, the running one stays in force: {Reason}", ex.Message);
                }
            });
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    /// <summary>True when the file was valid and the trust list (possibly unchanged) is now the file's.</summary>
    public bool Reload()
    {
        lock (_reloadLock)
        {
            notifier?.Reloading();
            try
            {
                return ReloadOnce();
            }
            finally
            {
                notifier?.Ready("serving gRPC");
            }
        }
    }

    private bool ReloadOnce()
    {
        if (!TryRead(out var configuration, out var error))
        {
            logger.LogError("Configuration not reloaded, the running one stays in force: {Reason}", error);
            return false;
        }

        AgentOptions options;
        try
        {
            options = AgentConfiguration.Load(configuration!, configPath);
        }
        catch (InvalidConfigurationException ex)
        {
            logger.LogError("Configuration not reloaded, the running one stays in force: {Reason}", ex.Message);
            return false;
        }

        var clientsBefore = trust.ClientCount;
        var change = trust.Replace(options.Security.Clients);
        logger.LogInformation("Trust list reloaded from {ConfigPath}: {ClientCount} client(s); {Change}", configPath, trust.ClientCount, change.ToString());
        if (clientsBefore == 0 && trust.ClientCount > 0)
        {
            logger.LogWarning("The first client is now trusted, but the TCP listener starts only at start: `systemctl restart mizan-agent` to open it");
        }

        if (_startedWith is not null)
        {
            var changes = ConfigurationChanges.Between(_startedWith, ConfigurationChanges.Snapshot(configuration!));
            if (changes.NeedRestart.Count > 0)
            {
                logger.LogWarning(
                    "Configuration keys changed since the start that take effect only after `systemctl restart mizan-agent` (a restart waits for a running deploy): {Keys}",
                    string.Join(", ", changes.NeedRestart));
            }
        }

        return true;
    }

    private bool TryRead(out IConfiguration? configuration, out string error)
    {
        try
        {
            var builder = new ConfigurationBuilder();
            AgentConfiguration.AddSources(builder, configPath, explicitPath);
            configuration = builder.Build();
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is InvalidConfigurationException or InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            configuration = null;
            error = ex.Message;
            return false;
        }
    }
}
