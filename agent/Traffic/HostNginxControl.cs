using System.ComponentModel;
using Mizan.Agent.Configuration;
using Mizan.Agent.Errors;
using Microsoft.Extensions.Options;

namespace Mizan.Agent.Traffic;

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
        var result = await RunAsync(["-t"], cancellationToken).ConfigureAwait(false);
        return new NginxTestResult(result.ExitCode == 0, result.Output);
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["-s", "reload"], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DependencyUnavailableException($"nginx reload failed: {result.Output}; is the nginx master running? check `systemctl status nginx`");
        }
    }

    private async Task<CommandResult> RunAsync(string[] verb, CancellationToken cancellationToken)
    {
        var arguments = Nginx.ConfigFile.Length > 0 ? ["-c", Nginx.ConfigFile, .. verb] : verb;
        try
        {
            return await CommandRunner.RunAsync(Nginx.Binary, arguments, Nginx.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Win32Exception or TimeoutException)
        {
            throw new DependencyUnavailableException($"nginx could not be run ({Nginx.Binary}): {ex.Message}", ex);
        }
    }
}
