using System.Text.Json;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>The facts of `docker inspect` a scenario asserts on.</summary>
public sealed record ContainerSnapshot(
    string Id,
    string Name,
    string Status,
    bool Running,
    int ExitCode,
    string ImageId,
    string ImageReference,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Environment,
    string NetworkMode,
    string HealthStatus)
{
    /// <summary>State.OOMKilled: the kernel killed it for going over its memory limit.</summary>
    public bool OomKilled { get; init; }

    /// <summary>The confinement in HostConfig: security options, capabilities, limits and the read-only root filesystem.</summary>
    public ContainerConfinement Confinement { get; init; } = ContainerConfinement.None;

    /// <summary><see cref="HealthStatus"/> of a container whose image has no Docker HEALTHCHECK.</summary>
    public const string NoHealthcheck = "";

    public string Label(string key) => Labels.TryGetValue(key, out var value) ? value : "";

    public static ContainerSnapshot ParseInspectOutput(string json)
    {
        using var document = JsonDocument.Parse(json);
        var container = document.RootElement[0];
        var state = container.GetProperty("State");
        var config = container.GetProperty("Config");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config.TryGetProperty("Labels", out var labelsElement) && labelsElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in labelsElement.EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? "";
            }
        }

        var environment = config.TryGetProperty("Env", out var env) && env.ValueKind == JsonValueKind.Array
            ? env.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
            : [];

        var health = state.TryGetProperty("Health", out var healthElement) && healthElement.ValueKind == JsonValueKind.Object
            ? healthElement.GetProperty("Status").GetString() ?? NoHealthcheck
            : NoHealthcheck;

        var hostConfig = container.GetProperty("HostConfig");
        return new ContainerSnapshot(
            container.GetProperty("Id").GetString() ?? "",
            (container.GetProperty("Name").GetString() ?? "").TrimStart('/'),
            state.GetProperty("Status").GetString() ?? "",
            state.GetProperty("Running").GetBoolean(),
            state.GetProperty("ExitCode").GetInt32(),
            container.GetProperty("Image").GetString() ?? "",
            config.GetProperty("Image").GetString() ?? "",
            labels,
            environment,
            container.GetProperty("HostConfig").GetProperty("NetworkMode").GetString() ?? "",
            health)
        {
            OomKilled = state.TryGetProperty("OOMKilled", out var oom) && oom.GetBoolean(),
            Confinement = ContainerConfinement.FromHostConfig(hostConfig),
        };
    }
}
