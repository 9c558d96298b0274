using System.Runtime.InteropServices;
using Mizan.Agent.Access;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Systemd;

namespace Mizan.Agent.Hosting.Configuration;

/// <summary>
/// On SIGHUP (`systemctl reload`) re-reads and validates the whole configuration file. A file that does not pass
/// validation changes nothing: the running configuration stays and the error, naming the key, is logged. A valid one
/// swaps in its Security:Clients at once, and ends the calls still open with a certificate it no longer trusts; every
/// other changed key is named in a warning, since it only takes effect on a restart. Nothing here touches a running
/// deploy (a revoked client's deploy stream ends, its deploy goes on).
/// </summary>
public sealed partial class TrustListReloader(
    TrustList trust,
    ConfigurationFile file,
    ILogger<TrustListReloader> logger,
    SystemdNotifier? notifier = null,
    OpenTcpCalls? openCalls = null) : IHostedService, IDisposable
{
    private PosixSignalRegistration? registration;
    private IReadOnlyDictionary<string, string?>? startedWith;
    private readonly Lock reloadLock = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // What the agent runs with: read now, before any SIGHUP, to tell later which keys changed since the start.
        startedWith = TryRead(out var configuration, out _) ? ConfigurationChanges.Snapshot(configuration!) : null;
        registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
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
                    LogReloadCrashed(logger, ex, ex.Message);
                }
            });
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => registration?.Dispose();

    /// <summary>True when the file was valid and the trust list (possibly unchanged) is now the file's.</summary>
    public bool Reload()
    {
        lock (reloadLock)
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
            LogNotReloaded(logger, error);
            return false;
        }

        AgentOptions options;
        try
        {
            options = AgentConfiguration.Load(configuration!, file.Path);
        }
        catch (InvalidConfigurationException ex)
        {
            LogNotReloaded(logger, ex.Message);
            return false;
        }

        var clientsBefore = trust.ClientCount;
        var change = trust.Replace(options.Security.Clients);
        LogReloaded(logger, file.Path, trust.ClientCount, change.ToString());
        if (openCalls?.EndUntrusted(trust) is int ended && ended > 0)
        {
            LogEndedRevokedCalls(logger, ended);
        }
        if (clientsBefore == 0 && trust.ClientCount > 0)
        {
            LogTcpNeedsRestart(logger);
        }

        if (startedWith is not null)
        {
            var changes = ConfigurationChanges.Between(startedWith, ConfigurationChanges.Snapshot(configuration!));
            if (changes.NeedRestart.Count > 0)
            {
                LogKeysNeedRestart(logger, string.Join(", ", changes.NeedRestart));
            }
        }

        return true;
    }

    private bool TryRead(out IConfiguration? configuration, out string error)
    {
        try
        {
            var builder = new ConfigurationBuilder();
            AgentConfiguration.AddSources(builder, file);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration reload failed, the running one stays in force: {Reason}")]
    private static partial void LogReloadCrashed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration not reloaded, the running one stays in force: {Reason}")]
    private static partial void LogNotReloaded(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trust list reloaded from {ConfigPath}: {ClientCount} client(s); {Change}")]
    private static partial void LogReloaded(ILogger logger, string configPath, int clientCount, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ended {Count} open call(s) made with a certificate the reloaded trust list no longer holds")]
    private static partial void LogEndedRevokedCalls(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The first client is now trusted, but the TCP listener starts only at start: " +
        "`systemctl restart mizan-agent` to open it")]
    private static partial void LogTcpNeedsRestart(ILogger logger);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Configuration keys changed since the start that take effect only after `systemctl restart mizan-agent` " +
            "(a restart waits for a running deploy): {Keys}")]
    private static partial void LogKeysNeedRestart(ILogger logger, string keys);
}
