using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mizan.Bench.Modes;

/// <summary>
/// The agent JSON (schema: packaging/agent.example.json) of one <see cref="ModeAgent"/>: everything it writes in its
/// own directory, one app with <see cref="AgentSettings"/>, its nginx site, and in Redirect mode front ports of its own.
/// </summary>
public sealed record AgentConfigFile(
    string TrafficMode,
    string App,
    string TrafficTable,
    string Socket,
    int Blue,
    int Green,
    string NginxConfig,
    NginxSite Site,
    string Repository)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes agent.json (and an empty Docker config.json) into <paramref name="directory"/>; returns the former's path.</summary>
    public static async Task<string> WriteAsync(AgentConfigFile config, string directory, CancellationToken cancellationToken)
    {
        var dockerConfig = Path.Combine(directory, "docker-config.json");
        await File.WriteAllTextAsync(dockerConfig, "{ \"auths\": {} }\n", cancellationToken);
        var file = Path.Combine(directory, "agent.json");
        await File.WriteAllTextAsync(file, config.Render(directory, dockerConfig).ToJsonString(Indented), cancellationToken);
        return file;
    }

    private JsonObject Render(string directory, string dockerConfig)
    {
        var upstream = new JsonObject { ["Name"] = Site.UpstreamName, ["File"] = Site.UpstreamFile };
        if (TrafficMode == "Redirect")
        {
            upstream["FrontPort"] = FreePorts.NextBlock(AgentSettings.FrontPorts + 1);
            upstream["FrontPorts"] = AgentSettings.FrontPorts;
        }

        return new JsonObject
        {
            ["Agent"] = new JsonObject
            {
                ["SocketPath"] = Socket,
                ["DataDirectory"] = Path.Combine(directory, "data"),
                ["LogDirectory"] = Path.Combine(directory, "log"),
                ["DockerEndpoint"] = "unix:///var/run/docker.sock",
                ["DockerConfigPath"] = dockerConfig,
            },
            ["Nginx"] = new JsonObject { ["Mode"] = "Host", ["Binary"] = BenchNginx.Binary, ["ConfigFile"] = NginxConfig },
            ["Traffic"] = new JsonObject { ["Mode"] = TrafficMode, ["Table"] = TrafficTable },
            ["Security"] = new JsonObject { ["MutationsPerMinute"] = AgentSettings.MutationsPerMinute },
            // Off: two agents (and other people's) would fight over the default port 9464.
            ["Metrics"] = new JsonObject { ["Prometheus"] = new JsonObject { ["Enabled"] = false } },
            ["Checks"] = new JsonObject { ["Interval"] = AgentSettings.Duration(AgentSettings.ChecksInterval) },
            ["Apps"] = new JsonObject
            {
                [App] = new JsonObject
                {
                    ["Image"] = Repository,
                    ["BluePort"] = Blue,
                    ["GreenPort"] = Green,
                    ["Network"] = "Host",
                    ["Health"] = AgentSettings.Health(),
                    ["Verify"] = AgentSettings.Verify(Site.BaseAddress),
                    ["Upstream"] = upstream,
                    ["KeepStandbyFor"] = AgentSettings.Duration(AgentSettings.KeepStandbyFor),
                    ["AutoHeal"] = new JsonObject { ["Enabled"] = true, ["FailuresBeforeAction"] = AgentSettings.FailuresBeforeAction },
                },
            },
        };
    }
}
