namespace Mizan.Agent.Healing.SelfChecks;

public enum CheckStatus
{
    Ok,

    /// <summary>Worth a look, nothing is down: disk getting full, certificate expiring, standby not answering.</summary>
    Warning,

    Failing,
}

/// <summary>One run of one check.</summary>
/// <param name="Name">e.g. "docker", "nginx", "disk:/var/lib/docker", "certificate", "app:web:live".</param>
/// <param name="App">Empty for the agent-wide checks.</param>
public sealed record CheckResult(string Name, string App, CheckStatus Status, string Message, DateTimeOffset At, TimeSpan Duration);

/// <summary>The latest result of a check and how long it has been in its status.</summary>
/// <param name="StatusSince">When the check entered its current status (the first result with it).</param>
/// <param name="ConsecutiveFailures">Failing results in a row up to the latest; 0 when the latest is not failing.</param>
public sealed record CheckState(CheckResult Latest, DateTimeOffset StatusSince, int ConsecutiveFailures)
{
    public string Name => Latest.Name;

    public string App => Latest.App;

    public CheckStatus Status => Latest.Status;
}

/// <summary>What recording a result did: the new state, and the status before it (null for a check's first result).</summary>
public sealed record RecordedCheck(CheckState State, CheckStatus? Previous)
{
    public bool Changed => Previous != State.Status;
}

/// <summary>Check names, so the runner, the healer and the reports agree.</summary>
public static class CheckNames
{
    public const string Docker = "docker";
    public const string Nginx = "nginx";
    public const string Certificate = "certificate";

    /// <summary>Traffic:Mode Redirect: the kernel holds the agent's recorded redirects (put back when not).</summary>
    public const string TrafficRules = "traffic-rules";

    public static string Disk(string path) => $"disk:{path}";

    /// <summary>The live slot probed directly on its port: what auto-heal and the app's gRPC health follow.</summary>
    public static string Live(string app) => $"app:{app}:live";

    /// <summary>The live slot probed through nginx (Verify:Url).</summary>
    public static string LiveViaNginx(string app) => $"app:{app}:live-via-nginx";

    public static string Standby(string app) => $"app:{app}:standby";
}
