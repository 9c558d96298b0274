using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// What goes into the image of one <see cref="AppVariant"/>: busybox, a /www folder and a shell command; optionally a
/// CGI script at <see cref="SettingsPath"/> and a Docker HEALTHCHECK (added by a `docker build` on top of the import).
/// A fast variant runs <see cref="FastAppBinary"/> instead of busybox httpd (<see cref="FastApp"/>).
/// </summary>
public sealed record AppImageRecipe(
    AppVariant Variant,
    string Tag,
    string? IndexBody,
    bool HasHealth,
    string Command,
    string? CgiScript = null,
    string? Healthcheck = null)
{
    /// <summary>The <see cref="AppVariant.Labelled"/> image's org.opencontainers.image.revision label.</summary>
    public const string LabelledRevision = "5eed0f0c0ffee5eed0f0c0ffee5eed0f0c0ffee5";

    /// <summary>The <see cref="AppVariant.Labelled"/> image's org.opencontainers.image.created label: two hours before the run started.</summary>
    public static readonly DateTimeOffset LabelledCreated = new(
        DateTimeOffset.UtcNow.AddHours(-2).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond,
        TimeSpan.Zero);

    /// <summary>
    /// The image runs the fast app (<see cref="FastAppBinary.PathInImage"/> TAG) as PID 1 instead of <see cref="Command"/>;
    /// it reads PORT from the environment and trigger files from <see cref="FastAppBinary.TriggerDirectory"/>.
    /// </summary>
    public bool FastApp { get; init; }

    /// <summary>Extra image labels (besides the ones cleanup looks for).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public const string BusyboxOnHost = "/bin/busybox";

    /// <summary>The env var the slow variant reads for how long to wait before it listens.</summary>
    public const string StartDelayVariable = "START_DELAY_SECONDS";

    /// <summary>The line every variant prints when it starts, so a log tail can be recognised.</summary>
    public static string StartLine(string tag) => $"mizan-test-app {tag} starting";

    /// <summary>What busybox httpd -v logs for a request it answers 404 (the unhealthy variant's /health).</summary>
    public const string NotFoundLogLine = "response:404";

    /// <summary>The URL path of the <see cref="AppVariant.Settings"/> variant's CGI script.</summary>
    public const string SettingsPath = "/cgi-bin/settings";

    /// <summary>Where the settings script looks for mounted files: it prints "file NAME=CONTENT" for each one.</summary>
    public const string SettingsMountPoint = "/etc/mizan-test";

    /// <summary>The line the settings script prints when it could not create a file under <see cref="SettingsMountPoint"/>.</summary>
    public const string MountReadOnlyLine = "mount writable=no";

    /// <summary>The file that makes the <see cref="AppVariant.MemoryEater"/> eat memory: mount a host folder on <see cref="SettingsMountPoint"/>.</summary>
    public const string EatMemoryTrigger = SettingsMountPoint + "/eat-memory";

    public static string CrashLine => "mizan-test-app crash: cannot read /etc/app/settings.json, giving up";

    /// <summary>The <see cref="AppVariant.NoisyCrash"/> variant's window title, set by an escape sequence before its last words.</summary>
    public const string NoisyCrashTitle = "mizan-pwned-title";

    // 2^17 x's on one line, then a screen clear, cursor home, a window title and colour around the crash line; all on
    // stdout, because Docker copies stdout and stderr independently and could put a stderr line inside the long one.
    /// <summary>
    /// Each doubling of the string holds the old and the new copy, so the shell (PID 1, the biggest process) outgrows
    /// any limit within a second and is the one the kernel kills. It polls for the trigger while httpd serves.
    /// </summary>
    private static readonly string MemoryEaterCommand =
        $"trap 'exit 0' TERM; echo \"{StartLine("memory-eater")} on 127.0.0.1:$PORT\"; " +
        "eat() { echo 'mizan-test-app memory-eater: eating memory'; s=0123456789abcdef; while true; do s=\"$s$s\"; done; }; " +
        // Restarted after the trigger appeared, it eats before it listens: it never answers again, whatever the probes' pace.
        $"if [ -e {EatMemoryTrigger} ]; then eat; fi; " +
        "/bin/busybox httpd -f -v -p 127.0.0.1:$PORT -h /www & " +
        $"while [ ! -e {EatMemoryTrigger} ]; do /bin/busybox sleep 0.2; done; eat";

    private static readonly string NoisyCrashCommand =
        $"echo '{StartLine("noisy-crash")}'; s=x; i=0; while [ $i -lt 17 ]; do s=$s$s; i=$((i+1)); done; printf '%s\\n' \"$s\"; " +
        $"printf '\\033[2J\\033[H\\033]0;{NoisyCrashTitle}\\007\\033[31m%s\\033[0m\\n' '{CrashLine}'; exit 3";

    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static AppImageRecipe For(AppVariant variant) => variant switch
    {
        AppVariant.V1 => Serving(variant, "v1", index: "v1", health: true),
        AppVariant.V2 => Serving(variant, "v2", index: "v2", health: true),
        AppVariant.Unhealthy => Serving(variant, "unhealthy", index: "unhealthy", health: false),
        AppVariant.VerifyFails => Serving(variant, "verify-fails", index: null, health: true),
        AppVariant.Slow => Serving(variant, "slow", index: "slow", health: true, delay: $"/bin/busybox sleep ${{{StartDelayVariable}:-5}} & wait $!; "),
        AppVariant.Settings => Serving(variant, "settings", index: "settings", health: true) with { CgiScript = SettingsScript },
        AppVariant.HealthcheckFails => Serving(variant, "healthcheck-fails", index: "healthcheck-fails", health: true) with
        {
            Healthcheck = "--interval=1s --retries=1 CMD /bin/busybox false",
        },
        AppVariant.Labelled => Serving(variant, "labelled", index: "labelled", health: true) with
        {
            Labels = new Dictionary<string, string>
            {
                ["org.opencontainers.image.revision"] = LabelledRevision,
                ["org.opencontainers.image.created"] = LabelledCreated.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        },
        AppVariant.HealthcheckPasses => Serving(variant, "healthcheck-passes", index: "healthcheck-passes", health: true) with
        {
            Healthcheck = "--interval=1s --retries=3 CMD /bin/busybox wget -q -O /dev/null http://127.0.0.1:$PORT/health",
        },
        AppVariant.MemoryHog => new AppImageRecipe(
            variant, "memory-hog", "memory-hog", true, $"echo '{StartLine("memory-hog")}'; a=x; while true; do a=$a$a; done"),
        AppVariant.MemoryEater => new AppImageRecipe(variant, "memory-eater", "memory-eater", true, MemoryEaterCommand),
        AppVariant.Crash => new AppImageRecipe(variant, "crash", "crash", true, $"echo '{StartLine("crash")}'; echo '{CrashLine}' >&2; exit 3"),
        AppVariant.NoisyCrash => new AppImageRecipe(variant, "noisy-crash", "noisy-crash", true, NoisyCrashCommand),
        AppVariant.FastV1 => Fast(variant, "fast-v1"),
        AppVariant.FastV2 => Fast(variant, "fast-v2"),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    /// <summary>The rootfs: /bin/busybox, /bin/sh -> busybox, /www with the variant's files, /tmp; and the fast app when it runs that.</summary>
    /// <param name="fastApp">The compiled fast app (<see cref="FastAppBinary.BuildAsync"/>); required when <see cref="FastApp"/>.</param>
    public byte[] BuildRootfsTar(byte[]? fastApp = null)
    {
        var rootfs = new RootfsTar()
            .HostFile(BusyboxOnHost, "/bin/busybox")
            .Symlink("/bin/sh", "busybox")
            .Directory("/www")
            .Directory("/tmp");
        if (FastApp)
        {
            var binary = fastApp ?? throw new ArgumentNullException(nameof(fastApp), $"variant {Variant} runs the fast app");
            rootfs.File(FastAppBinary.PathInImage, binary, executable: true);
        }

        if (HasHealth)
        {
            rootfs.TextFile("/www/health", "ok\n");
        }

        if (IndexBody is not null)
        {
            rootfs.TextFile("/www/index.html", IndexBody + "\n");
        }

        if (CgiScript is not null)
        {
            rootfs.File("/www" + SettingsPath, System.Text.Encoding.UTF8.GetBytes(CgiScript), executable: true);
        }

        return rootfs.ToBytes();
    }

    /// <summary>The --change instructions of `docker import`: the command and the labels cleanup looks for.</summary>
    public IReadOnlyList<string> ImportChanges() =>
    [
        "CMD " + JsonSerializer.Serialize(FastApp ? new[] { FastAppBinary.PathInImage, Tag } : ["/bin/sh", "-c", Command], ReadableJson),
        $"LABEL {TestRun.Label}=app {TestRun.RunLabel}={TestRun.Id} mizan.test.variant={Tag}"
            + string.Concat(Labels.Select(label => $" {label.Key}={label.Value}")),
    ];

    /// <summary>The Dockerfile that adds <see cref="Healthcheck"/> to the imported image <paramref name="baseImage"/>.</summary>
    public string HealthcheckDockerfile(string baseImage) =>
        Healthcheck is null ? throw new InvalidOperationException($"variant {Variant} has no HEALTHCHECK") : $"FROM {baseImage}\nHEALTHCHECK {Healthcheck}\n";

    /// <summary>
    /// A CGI script (busybox httpd runs it with the container's environment): every variable, each mounted file, and
    /// whether the mount is writable.
    /// </summary>
    private static readonly string SettingsScript = $$"""
        #!/bin/sh
        echo 'Content-Type: text/plain'
        echo ''
        /bin/busybox env
        for f in {{SettingsMountPoint}}/*; do echo "file ${f##*/}=$(/bin/busybox cat "$f")"; done
        if /bin/busybox touch {{SettingsMountPoint}}/.write-probe 2>/dev/null; then echo 'mount writable=yes'; else echo '{{MountReadOnlyLine}}'; fi

        """;

    /// <summary>The fast app as PID 1: it prints <see cref="StartLine"/> and exits 0 on SIGTERM itself, so no shell is needed.</summary>
    private static AppImageRecipe Fast(AppVariant variant, string tag) =>
        new(variant, tag, IndexBody: null, HasHealth: false, Command: "") { FastApp = true };

    /// <remarks>
    /// The shell stays PID 1 and exits on SIGTERM, as a well-behaved app does: busybox httpd as PID 1 would ignore
    /// SIGTERM and every `docker stop` would wait out its 10 s grace period. httpd -v logs each request to stderr.
    /// </remarks>
    private static AppImageRecipe Serving(AppVariant variant, string tag, string? index, bool health, string delay = "") =>
        new(variant, tag, index, health,
            $"trap 'exit 0' TERM; echo \"{StartLine(tag)} on 127.0.0.1:$PORT\"; {delay}/bin/busybox httpd -f -v -p 127.0.0.1:$PORT -h /www & wait $!");
}
