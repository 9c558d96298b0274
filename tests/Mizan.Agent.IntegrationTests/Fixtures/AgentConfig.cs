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

    /// <summary>Traffic:Table, the nftables table (family ip) of this test's agent, when it has front ports (WithRedirect).</summary>
    public string? TrafficTable { get; init; }

    /// <summary>Apps:APP:Upstream:FrontPort, the first front port, when the test asked for them (WithRedirect).</summary>
    public int? FrontPort { get; init; }

    /// <summary>Apps:APP:Upstream:FrontPorts: how many primary front ports; the backup one follows them.</summary>
    public int FrontPortCount { get; init; }

    /// <summary>The primary front ports, in order.</summary>
    public IReadOnlyList<int> PrimaryFrontPorts => FrontPort is { } first ? [.. Enumerable.Range(first, FrontPortCount)] : [];

    /// <summary>The backup front port, after the primaries.</summary>
    public int BackupFrontPort => (FrontPort ?? throw new InvalidOperationException("the test has no front ports (WithRedirect)")) + FrontPortCount;

    /// <summary>
    /// Whether <paramref name="redirects"/> send all traffic to <paramref name="slot"/>: every primary front port to its
    /// port; the backup front port (nginx's backup, which takes requests only when every primary refuses) stands by with
    /// the other slot, or leads to <paramref name="slot"/> itself when no standby may, or redirects nowhere. Null when
    /// they do; otherwise what differs.
    /// </summary>
    public string? DiffersFromAllTrafficTo(string slot, IReadOnlyDictionary<int, int> redirects)
    {
        var wrong = PrimaryFrontPorts.Where(port => redirects.GetValueOrDefault(port) != PortOf(slot)).ToList();
        var backup = redirects.TryGetValue(BackupFrontPort, out var standby) ? standby : (int?)null;
        var others = redirects.Keys.Where(port => port != BackupFrontPort && !PrimaryFrontPorts.Contains(port)).ToList();
        return wrong.Count == 0 && (backup is null || backup == PortOf(OtherSlot(slot)) || backup == PortOf(slot)) && others.Count == 0
            ? null
            : $"expected primaries {FrontPort}-{BackupFrontPort - 1} to {slot} ({PortOf(slot)}) and backup {BackupFrontPort} to {slot}, " +
                $"{OtherSlot(slot)} ({PortOf(OtherSlot(slot))}) or nothing; " +
                $"the table holds [{string.Join(", ", redirects.Select(r => $"{r.Key}->{r.Value}"))}]";
    }

    /// <summary>The slot behind nginx's $upstream_addr (the last address it tried) under <paramref name="redirects"/>, or null.</summary>
    public string? SlotBehind(string upstreamAddress, IReadOnlyDictionary<int, int> redirects)
    {
        var last = upstreamAddress.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).LastOrDefault(part => part != ":");
        if (last is null || !last.StartsWith("127.0.0.1:", StringComparison.Ordinal)
            || !int.TryParse(last["127.0.0.1:".Length..], System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var target = redirects.TryGetValue(port, out var redirected) ? redirected : port;
        return target == BluePort ? "blue" : target == GreenPort ? "green" : null;
    }

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
