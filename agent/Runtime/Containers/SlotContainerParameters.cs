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
        ApplyConfinement(hostConfig, spec.Container);
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

    // The validator has refused anything these cannot parse, so an unknown name or size here is simply left out.
    private static void ApplyConfinement(HostConfig hostConfig, ContainerOptions container)
    {
        if (container.NoNewPrivileges)
        {
            hostConfig.SecurityOpt = ["no-new-privileges"];
        }

        if (CapabilityNames(container.DropCapabilities, allowAll: true) is { } drop)
        {
            hostConfig.CapDrop = drop;
        }

        if (CapabilityNames(container.AddCapabilities, allowAll: false) is { } add)
        {
            hostConfig.CapAdd = add;
        }
        if (ContainerLimits.TryParseMemory(container.Memory, out var memory))
        {
            hostConfig.Memory = memory;

            // Equal to Memory: no swap on top, so the limit is what the app really gets.
            hostConfig.MemorySwap = memory;
        }

        if (container.Pids > 0)
        {
            hostConfig.PidsLimit = container.Pids;
        }

        if (container.Cpus > 0)
        {
            hostConfig.NanoCPUs = (long)Math.Round(container.Cpus * 1_000_000_000);
        }

        if (container.ReadOnlyRootFilesystem)
        {
            hostConfig.ReadonlyRootfs = true;

            // Most programs expect to write temporary files; a tmpfs keeps them off the image and within the memory limit.
            hostConfig.Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,nosuid,nodev" };
        }
    }

    private static List<string>? CapabilityNames(List<string> names, bool allowAll)
    {
        var known = names.Select(name => ContainerLimits.CapabilityName(name, allowAll)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return known.Count == 0 ? null : known;
    }
}
