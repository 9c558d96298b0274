using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>nginx in a container, found by name or label: tested with `docker exec nginx -t`, reloaded with SIGHUP.</summary>
public sealed class ContainerNginxControl(IDockerClient docker, IOptions<AgentOptions> options) : INginxControl
{
    private NginxOptions Nginx => options.Value.Nginx;

    public async Task EnsureReachableAsync(CancellationToken cancellationToken) =>
        await FindAsync(cancellationToken);

    public async Task<NginxTestResult> TestConfigurationAsync(CancellationToken cancellationToken)
    {
        var id = await FindAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Nginx.CommandTimeout);
        var exec = await docker.Exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters
        {
            Cmd = ["nginx", "-t"],
            AttachStdout = true,
            AttachStderr = true,
        }, deadline.Token);
        var output = new StringBuilder();
        using (var stream = await docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), deadline.Token))
        {
            var buffer = new byte[4096];
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, deadline.Token);
                if (read.EOF)
                {
                    break;
                }

                output.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            }
        }

        var inspected = await docker.Exec.InspectContainerExecAsync(exec.ID, deadline.Token);
        return new NginxTestResult(inspected.ExitCode == 0, output.ToString().Trim());
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var id = await FindAsync(cancellationToken);
        await docker.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "HUP" }, cancellationToken);
    }

    public async Task<NginxMasterState> GetMasterStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var id = await FindAsync(cancellationToken);
            return new NginxMasterState(true, $"nginx container {id[..Math.Min(12, id.Length)]} is running");
        }
        catch (DependencyUnavailableException ex)
        {
            return new NginxMasterState(false, ex.Message);
        }
    }

    private async Task<string> FindAsync(CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["status"] = new Dictionary<string, bool> { ["running"] = true },
        };
        var what = Nginx.ContainerName.Length > 0 ? $"named '{Nginx.ContainerName}'" : $"labelled '{Nginx.ContainerLabel}'";
        if (Nginx.ContainerName.Length > 0)
        {
            filters["name"] = new Dictionary<string, bool> { [$"^/{Nginx.ContainerName}$"] = true };
        }
        else
        {
            filters["label"] = new Dictionary<string, bool> { [Nginx.ContainerLabel] = true };
        }

        IList<ContainerListResponse> found;
        try
        {
            found = await docker.Containers.ListContainersAsync(new ContainersListParameters { Filters = filters }, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or DockerApiException or TimeoutException)
        {
            throw new DependencyUnavailableException(
                $"cannot look for the nginx container {what}: the Docker engine did not answer ({ex.GetBaseException().Message})",
                ex);
        }

        return found.Count switch
        {
            1 => found[0].ID,
            0 => throw new DependencyUnavailableException($"no running nginx container {what}; start it or fix Nginx:ContainerName / Nginx:ContainerLabel"),
            _ => throw new DependencyUnavailableException($"{found.Count} running containers are {what}; the agent needs exactly one nginx to switch traffic"),
        };
    }
}
