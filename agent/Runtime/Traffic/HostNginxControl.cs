using System.ComponentModel;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>nginx on the host, driven by its own binary (`nginx -t`, `nginx -s reload`).</summary>
public sealed class HostNginxControl(IOptions<AgentOptions> options) : INginxControl
{
    private NginxOptions Nginx => options.Value.Nginx;

    public Task EnsureReachableAsync(CancellationToken cancellationToken) =>
        File.Exists(Nginx.Binary)
            ? Task.CompletedTask
            : throw new DependencyUnavailableException($"nginx binary {Nginx.Binary} not found; install nginx or set Nginx:Binary in the agent configuration");

    public async Task<NginxTestResult> TestConfigurationAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["-t"], cancellationToken);
        return new NginxTestResult(result.ExitCode == 0, result.Output);
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["-s", "reload"], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new DependencyUnavailableException($"nginx reload failed: {result.Output}; is the nginx master running? check `systemctl status nginx`");
        }
    }

    /// <summary>Where nginx writes its master's pid when the configuration says nothing (Debian's build).</summary>
    public const string DefaultPidFile = "/run/nginx.pid";

    /// <summary>The nginx configuration file when Nginx:ConfigFile is empty (Debian's build).</summary>
    public const string DefaultConfigFile = "/etc/nginx/nginx.conf";

    public async Task<NginxMasterState> GetMasterStateAsync(CancellationToken cancellationToken)
    {
        var configFile = Nginx.ConfigFile.Length > 0 ? Nginx.ConfigFile : DefaultConfigFile;
        string pidFile;
        try
        {
            pidFile = NginxPidFile.FromConfiguration(await File.ReadAllTextAsync(configFile, cancellationToken)) ?? DefaultPidFile;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new NginxMasterState(false, $"cannot read {configFile}: {ex.Message}");
        }

        string pidText;
        try
        {
            pidText = (await File.ReadAllTextAsync(pidFile, cancellationToken)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new NginxMasterState(
                false,
                $"no nginx master: its pid file {pidFile} cannot be read ({ex.GetType().Name}); start nginx (`systemctl start nginx`)");
        }

        if (!int.TryParse(pidText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            return new NginxMasterState(false, $"the pid file {pidFile} holds no pid");
        }

        // /proc/PID/cmdline is "nginx: master process ..." for a live master; a stale pid file points at nothing or at another process.
        string commandLine;
        try
        {
            commandLine = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline", cancellationToken)).Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new NginxMasterState(false, $"no nginx master: pid {pid} from {pidFile} is not running; start nginx (`systemctl start nginx`)");
        }

        return commandLine.StartsWith("nginx: master", StringComparison.Ordinal)
            ? new NginxMasterState(true, $"nginx master pid {pid} is running")
            : new NginxMasterState(false, $"no nginx master: pid {pid} from {pidFile} is another process ({commandLine.Trim()})");
    }

    private async Task<CommandResult> RunAsync(string[] verb, CancellationToken cancellationToken)
    {
        var arguments = Nginx.ConfigFile.Length > 0 ? ["-c", Nginx.ConfigFile, .. verb] : verb;
        try
        {
            return await CommandRunner.RunAsync(Nginx.Binary, arguments, Nginx.CommandTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is Win32Exception or TimeoutException)
        {
            throw new DependencyUnavailableException($"nginx could not be run ({Nginx.Binary}): {ex.Message}", ex);
        }
    }
}
