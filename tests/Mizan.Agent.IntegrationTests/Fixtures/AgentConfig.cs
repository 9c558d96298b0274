namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>The agent configuration file of one test, and the facts a scenario needs from it.</summary>
public sealed record AgentConfig(
    string FilePath,
    string SocketPath,
    string DataDirectory,
    string LogDirectory,
    string AppName,
    string ImageRepository,
    int BluePort,
    int GreenPort,
    string UpstreamName,
    string UpstreamFile)
{
    /// <summary>The mutual-TLS listener's port on 127.0.0.1, when a client is trusted.</summary>
    public int? TcpPort { get; init; }

    /// <summary>The Prometheus /metrics port on 127.0.0.1, when the test asked for it (WithPrometheus).</summary>
    public int? PrometheusPort { get; init; }

    public int PortOf(string slot) => slot switch
    {
        "blue" => BluePort,
        "green" => GreenPort,
        _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, "a slot is \"blue\" or \"green\""),
    };

    public static string OtherSlot(string slot) => slot == "blue" ? "green" : "blue";

    /// <summary>The name the agent gives the container of a slot.</summary>
    public string ContainerName(string slot) => $"mizan-{AppName}-{slot}";

    /// <summary>The label filter that finds this app's containers.</summary>
    public string ContainerLabel => $"mizan.app={AppName}";
}
