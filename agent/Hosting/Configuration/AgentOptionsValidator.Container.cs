using System.Globalization;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Hosting.Configuration;

public static partial class AgentOptionsValidator
{
    // Apps:NAME:Container: capabilities, limits and the read-only root filesystem of the app's containers.
    private static void ValidateContainer(List<string> errors, string key, ContainerOptions container)
    {
        key += ":Container";
        ValidateCapabilities(errors, $"{key}:DropCapabilities", container.DropCapabilities, allowAll: true);
        ValidateCapabilities(errors, $"{key}:AddCapabilities", container.AddCapabilities, allowAll: false);
        if (container.Memory.Length > 0)
        {
            if (!ContainerLimits.TryParseMemory(container.Memory, out var memory))
            {
                errors.Add($"{key}:Memory: '{container.Memory}' is not a size; use a number with b, k, m or g, e.g. \"256m\" or \"1g\"");
            }
            else if (memory < ContainerLimits.MinimumMemoryBytes)
            {
                errors.Add($"{key}:Memory: '{container.Memory}' is below the engine's minimum of 6m");
            }
        }

        if (container.Pids < 0)
        {
            errors.Add($"{key}:Pids: {container.Pids} must not be negative (0 is no limit)");
        }

        var processors = Environment.ProcessorCount;
        if (double.IsNaN(container.Cpus) || container.Cpus < 0 || (container.Cpus > 0 && container.Cpus < 0.01) || container.Cpus > processors)
        {
            errors.Add($"{key}:Cpus: {container.Cpus.ToString(CultureInfo.InvariantCulture)} is out of range 0.01-{processors} " +
                "(the CPUs of this server; 0 is no limit)");
        }
    }

    private static void ValidateCapabilities(List<string> errors, string key, List<string> names, bool allowAll)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (ContainerLimits.CapabilityName(names[i], allowAll) is not null)
            {
                continue;
            }

            errors.Add(!allowAll && names[i].Trim().Equals(ContainerLimits.AllCapabilities, StringComparison.OrdinalIgnoreCase)
                ? $"{key}:{i}: ALL cannot be added; list the capabilities the app needs, e.g. NET_BIND_SERVICE"
                : $"{key}:{i}: '{names[i]}' is not a Linux capability; use a name such as NET_BIND_SERVICE or CHOWN (see `man 7 capabilities`)");
        }
    }
}
