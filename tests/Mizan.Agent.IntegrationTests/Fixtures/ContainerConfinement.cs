using System.Text.Json;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>What `docker inspect` says a container may do and use (its HostConfig).</summary>
public sealed record ContainerConfinement(
    IReadOnlyList<string> SecurityOptions,
    IReadOnlyList<string> DroppedCapabilities,
    IReadOnlyList<string> AddedCapabilities,
    long MemoryBytes,
    long MemorySwapBytes,
    long PidsLimit,
    long NanoCpus,
    bool ReadOnlyRootFilesystem,
    IReadOnlyDictionary<string, string> Tmpfs)
{
    public static readonly ContainerConfinement None = new([], [], [], 0, 0, 0, 0, false, new Dictionary<string, string>());

    public static ContainerConfinement FromHostConfig(JsonElement hostConfig)
    {
        var tmpfs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (hostConfig.TryGetProperty("Tmpfs", out var mounts) && mounts.ValueKind == JsonValueKind.Object)
        {
            foreach (var mount in mounts.EnumerateObject())
            {
                tmpfs[mount.Name] = mount.Value.GetString() ?? "";
            }
        }

        return new ContainerConfinement(
            Strings(hostConfig, "SecurityOpt"),
            Strings(hostConfig, "CapDrop"),
            Strings(hostConfig, "CapAdd"),
            Number(hostConfig, "Memory"),
            Number(hostConfig, "MemorySwap"),
            Number(hostConfig, "PidsLimit"),
            Number(hostConfig, "NanoCpus"),
            hostConfig.TryGetProperty("ReadonlyRootfs", out var readOnly) && readOnly.GetBoolean(),
            tmpfs);
    }

    private static List<string> Strings(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(item => item.GetString() ?? "")]
            : [];

    private static long Number(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
