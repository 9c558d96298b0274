namespace Mizan.Bench;

/// <summary>What the benchmark runs against and how hard, from the command line.</summary>
public sealed record BenchOptions(
    string SocketPath,
    string App,
    Uri Url,
    IReadOnlyList<string> Images,
    int Rounds,
    int Concurrency,
    bool Failover = false,
    bool Storage = false,
    string StorageDirectory = "/var/tmp",
    bool Modes = false,
    int Cycles = 200,
    int KillRounds = 5,
    bool JitAgent = false,
    string? BaselineScript = null,
    bool KeepLogs = false)
{
    /// <summary>Rounds of --storage when --rounds is not given: one replay takes milliseconds, and the p95 needs many.</summary>
    public const int StorageRounds = 200;

    /// <summary>Rounds of --modes (native rollbacks, warm deploys) when --rounds is not given: enough for a p95.</summary>
    public const int ModesRounds = 20;

    public const string Usage = """
        usage: mizan-bench [--agent unix:///run/mizan-agent/agent.sock] [--app sample] [--url http://127.0.0.1:8080/]
                           [--images v1,v2] [--rounds 5] [--concurrency 8] [--failover]
               mizan-bench --storage [--rounds 200] [--dir /var/tmp]
               mizan-bench --modes [--cycles 200] [--kill-rounds 5] [--rounds 20] [--jit] [--keep-logs]
                           [--baseline ../shared/baseline/switch.sh]
        Deploys and rolls back the app for real (it alternates the two tags) and prints timings and failed requests.
        --failover instead measures auto-heal: each round deploys the two tags (the first stays as hot standby), kills
        the live container with `docker kill` under load, and times until nginx answers from the standby again.
        --storage needs no agent: it replays the SQLite writes of one deploy through the agent's own stores, in a new
        database under --dir (put it on the disk of the agent's data directory), with synchronous=NORMAL and FULL.
        --modes needs no running agent: it sets up its own registry, nginx, fast test app images and two agents on
        127.0.0.1, one per Traffic:Mode (Reload, Redirect), measures both side by side and removes all it started.
        It prints a table per measurement, a column per mode and the goal beside it: failed requests across
        --cycles switch-and-rollback cycles under keep-alive GET/POST load; `docker kill` of the live container under
        that load (--kill-rounds); a native `mizanctl rollback` until nginx serves the old release; warm deploys
        against ../shared/baseline/switch.sh, run over SSH as CI ran it (to an sshd of its own on 127.0.0.1; needs
        openssh-server installed) and alone, and the agent's overhead in them (--rounds); the fast test app against
        busybox httpd at 1,000 req/s. The agent runs as its Native AOT publish (--jit: the Release build instead).
        --keep-logs leaves the run's directory (configurations, agent, nginx and registry logs) for a look afterwards.
        """;

    public static BenchOptions Defaults { get; } = new("/run/mizan-agent/agent.sock", "sample", new Uri("http://127.0.0.1:8080/"), ["v1", "v2"], 5, 8);

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message when they are wrong.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = Defaults;
        var roundsGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--agent" => options with { SocketPath = SocketPathOf(Value()) },
                "--app" => options with { App = NonEmpty(name, Value()) },
                "--url" => options with { Url = UrlOf(Value()) },
                "--images" => options with { Images = ImagesOf(Value()) },
                "--rounds" => options with { Rounds = PositiveOf(name, Value()) },
                "--storage" => options with { Storage = true },
                "--dir" => options with { StorageDirectory = AbsoluteOf(name, Value()) },
                "--concurrency" => options with { Concurrency = PositiveOf(name, Value()) },
                "--failover" => options with { Failover = true },
                "--modes" => options with { Modes = true },
                "--cycles" => options with { Cycles = PositiveOf(name, Value()) },
                "--kill-rounds" => options with { KillRounds = PositiveOf(name, Value()) },
                "--jit" => options with { JitAgent = true },
                "--keep-logs" => options with { KeepLogs = true },
                "--baseline" => options with { BaselineScript = Path.GetFullPath(NonEmpty(name, Value())) },
                _ => throw new ArgumentException($"unknown argument '{name}'"),
            };
            roundsGiven |= name == "--rounds";
        }

        return roundsGiven ? options
            : options.Storage ? options with { Rounds = StorageRounds }
            : options.Modes ? options with { Rounds = ModesRounds }
            : options;
    }

    private static string AbsoluteOf(string name, string value) =>
        Path.IsPathRooted(value) ? value : throw new ArgumentException($"{name} '{value}': expected an absolute directory");

    private static string SocketPathOf(string value)
    {
        var path = value.StartsWith("unix://", StringComparison.Ordinal) ? value["unix://".Length..]
            : value.StartsWith("unix:", StringComparison.Ordinal) ? value["unix:".Length..]
            : value;
        return path.StartsWith('/') ? path : throw new ArgumentException($"--agent '{value}': expected unix:///absolute/path.sock");
    }

    private static Uri UrlOf(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp
            ? url
            : throw new ArgumentException($"--url '{value}': expected an http:// address");

    private static string[] ImagesOf(string value)
    {
        var images = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return images.Length == 2 && images[0] != images[1]
            ? images
            : throw new ArgumentException($"--images '{value}': expected two different tags, e.g. v1,v2");
    }

    private static int PositiveOf(string name, string value) =>
        int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} '{value}': expected a positive whole number");

    private static string NonEmpty(string name, string value) =>
        value.Length > 0 ? value : throw new ArgumentException($"{name} needs a non-empty value");
}
