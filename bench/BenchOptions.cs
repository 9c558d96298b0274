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
    string StorageDirectory = "/var/tmp")
{
    /// <summary>Rounds of --storage when --rounds is not given: one replay takes milliseconds, and the p95 needs many.</summary>
    public const int StorageRounds = 200;

    public const string Usage = """
        usage: mizan-bench [--agent unix:///run/mizan-agent/agent.sock] [--app sample] [--url http://127.0.0.1:8080/]
                           [--images v1,v2] [--rounds 5] [--concurrency 8] [--failover]
               mizan-bench --storage [--rounds 200] [--dir /var/tmp]
        Deploys and rolls back the app for real (it alternates the two tags) and prints timings and failed requests.
        --failover instead measures auto-heal: each round deploys the two tags (the first stays as hot standby), kills
        the live container with `docker kill` under load, and times until nginx answers from the standby again.
        --storage needs no agent: it replays the SQLite writes of one deploy through the agent's own stores, in a new
        database under --dir (put it on the disk of the agent's data directory), with synchronous=NORMAL and FULL.
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
                _ => throw new ArgumentException($"unknown argument '{name}'"),
            };
            roundsGiven |= name == "--rounds";
        }

        return options.Storage && !roundsGiven ? options with { Rounds = StorageRounds } : options;
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
