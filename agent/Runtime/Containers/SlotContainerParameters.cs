using System.Globalization;
using Docker.DotNet.Models;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Containers;

/// <summary>Renders a slot's container as the engine's create request.</summary>
public static class SlotContainerParameters
{
    public static CreateContainerParameters Build(SlotContainerSpec spec)
    {
        var listenPort = spec.Network == AppNetwork.Host ? spec.HostPort : spec.ContainerPort;
        var environment = new Dictionary<string, string>(spec.Environment, StringComparer.Ordinal)
        {
            ["PORT"] = listenPort.ToString(CultureInfo.InvariantCulture),
            ["MIZAN_APP"] = spec.App,
            ["MIZAN_SLOT"] = spec.Slot.Name(),
            ["MIZAN_DEPLOYMENT"] = spec.DeploymentId,
        };
        var hostConfig = new HostConfig
        {
            NetworkMode = spec.Network == AppNetwork.Host ? "host" : "bridge",
            Binds = [.. spec.Volumes],
            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
        };
        var parameters = new CreateContainerParameters
        {
            Name = ContainerLabels.ContainerName(spec.App, spec.Slot),
            Image = spec.Image.PinnedReference,
            Env = [.. environment.Select(pair => $"{pair.Key}={pair.Value}")],
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.App] = spec.App,
                [ContainerLabels.Slot] = spec.Slot.Name(),
                [ContainerLabels.Deployment] = spec.DeploymentId,
                [ContainerLabels.Image] = spec.Image.Reference.ToString(),
                [ContainerLabels.Digest] = spec.Image.Digest,
            },
            HostConfig = hostConfig,
        };
        if (spec.Network == AppNetwork.Published)
        {
            var port = $"{spec.ContainerPort}/tcp";
            parameters.ExposedPorts = new Dictionary<string, EmptyStruct> { [port] = default };
            hostConfig.PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                [port] = [new PortBinding { HostIP = "127.0.0.1", HostPort = spec.HostPort.ToString(CultureInfo.InvariantCulture) }],
            };
        }

        return parameters;
    }
}
