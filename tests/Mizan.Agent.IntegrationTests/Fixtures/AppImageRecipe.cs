using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>What goes into the image of one <see cref="AppVariant"/>: busybox, a /www folder and a shell command.</summary>
public sealed record AppImageRecipe(AppVariant Variant, string Tag, string? IndexBody, bool HasHealth, string Command)
{
    public const string BusyboxOnHost = "/bin/busybox";

    /// <summary>The env var the slow variant reads for how long to wait before it listens.</summary>
    public const string StartDelayVariable = "START_DELAY_SECONDS";

    /// <summary>The line every variant prints when it starts, so a log tail can be recognised.</summary>
    public static string StartLine(string tag) => $"mizan-test-app {tag} starting";

    /// <summary>What busybox httpd -v logs for a request it answers 404 (the unhealthy variant's /health).</summary>
    public const string NotFoundLogLine = "response:404";

    public static string CrashLine => "mizan-test-app crash: cannot read /etc/app/settings.json, giving up";

    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static AppImageRecipe For(AppVariant variant) => variant switch
    {
        AppVariant.V1 => Serving(variant, "v1", index: "v1", health: true),
        AppVariant.V2 => Serving(variant, "v2", index: "v2", health: true),
        AppVariant.Unhealthy => Serving(variant, "unhealthy", index: "unhealthy", health: false),
        AppVariant.VerifyFails => Serving(variant, "verify-fails", index: null, health: true),
        AppVariant.Slow => Serving(variant, "slow", index: "slow", health: true, delay: $"/bin/busybox sleep ${{{StartDelayVariable}:-5}} & wait $!; "),
        AppVariant.Crash => new AppImageRecipe(variant, "crash", "crash", true, $"echo '{StartLine("crash")}'; echo '{CrashLine}' >&2; exit 3"),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    /// <summary>The rootfs: /bin/busybox, /bin/sh -> busybox, /www with the variant's files, /tmp.</summary>
    public byte[] BuildRootfsTar()
    {
        var rootfs = new RootfsTar()
            .HostFile(BusyboxOnHost, "/bin/busybox")
            .Symlink("/bin/sh", "busybox")
            .Directory("/www")
            .Directory("/tmp");
        if (HasHealth)
        {
            rootfs.TextFile("/www/health", "ok\n");
        }

        if (IndexBody is not null)
        {
            rootfs.TextFile("/www/index.html", IndexBody + "\n");
        }

        return rootfs.ToBytes();
    }

    /// <summary>The --change instructions of `docker import`: the command and the labels cleanup looks for.</summary>
    public IReadOnlyList<string> ImportChanges() =>
    [
        "CMD " + JsonSerializer.Serialize(new[] { "/bin/sh", "-c", Command }, ReadableJson),
        $"LABEL {TestRun.Label}=app {TestRun.RunLabel}={TestRun.Id} mizan.test.variant={Tag}",
    ];

    /// <remarks>
    /// The shell stays PID 1 and exits on SIGTERM, as a well-behaved app does: busybox httpd as PID 1 would ignore
    /// SIGTERM and every `docker stop` would wait out its 10 s grace period. httpd -v logs each request to stderr.
    /// </remarks>
    private static AppImageRecipe Serving(AppVariant variant, string tag, string? index, bool health, string delay = "") =>
        new(variant, tag, index, health,
            $"trap 'exit 0' TERM; echo \"{StartLine(tag)} on 127.0.0.1:$PORT\"; {delay}/bin/busybox httpd -f -v -p 127.0.0.1:$PORT -h /www & wait $!");
}
