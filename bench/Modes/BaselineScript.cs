using System.Diagnostics;
using System.Globalization;

namespace Mizan.Bench.Modes;

/// <summary>
/// The yardstick: ../shared/baseline/switch.sh (pull, start in the other slot, poll /health once a second, rewrite
/// the upstream, nginx -t, reload), with its own nginx site and upstream, its own slot ports and state directory.
/// It runs from a copy whose only change is its container names, baseline-RUN-blue/green instead of
/// baseline-blue/green: the script removes a container of that name before it starts one, and another person's run
/// of it on this machine must not lose its containers to ours (nor ours to theirs).
/// It runs two ways, taking turns on the same slots: over SSH to the run's own sshd on 127.0.0.1, as CI ran it
/// (`ssh root@HOST "STATE_DIR=... NGINX_CONF=... ... switch.sh IMAGE"`, a fresh connection each time), and alone,
/// as a local `bash switch.sh IMAGE` with the same variables. Each run deploys the tag the one before did not.
/// </summary>
public sealed class BaselineScript
{
    private readonly string script;
    private readonly IReadOnlyList<KeyValuePair<string, string>> variables;
    private readonly Dictionary<string, string> environment;
    private readonly BenchSshd sshd;
    private string? liveTag;

    private BaselineScript(string script, IReadOnlyList<KeyValuePair<string, string>> variables, BenchSshd sshd, NginxSite site)
    {
        this.script = script;
        this.variables = variables;
        this.sshd = sshd;
        environment = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        Site = site;
    }

    public NginxSite Site { get; }

    public static string ContainerPrefix => $"baseline-{ModesRun.Id}-";

    public static string DefaultPath => Path.GetFullPath(Path.Combine(ModesRun.RepositoryRoot, "..", "shared", "baseline", "switch.sh"));

    public static async Task<BaselineScript> PrepareAsync(
        string original,
        string directory,
        BenchNginx nginx,
        NginxSite site,
        BenchSshd sshd,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(original))
        {
            throw new FileNotFoundException($"the baseline script {original} is missing (--baseline PATH)", original);
        }

        var text = await File.ReadAllTextAsync(original, cancellationToken);
        const string Name = "baseline-$next";
        var occurrences = text.Split(Name).Length - 1;
        if (occurrences == 0)
        {
            throw new InvalidOperationException($"{original} no longer names its containers {Name}: check how to keep them apart from other runs");
        }

        var copy = Path.Combine(directory, "switch.sh");
        await File.WriteAllTextAsync(copy, text.Replace(Name, ContainerPrefix + "$next", StringComparison.Ordinal), cancellationToken);
        // In switch.sh's header's order, then docker's: the same for both ways of running it.
        List<KeyValuePair<string, string>> variables =
        [
            new("STATE_DIR", System.IO.Directory.CreateDirectory(Path.Combine(directory, "state")).FullName),
            new("NGINX_CONF", nginx.ConfigFile),
            new("UPSTREAM_FILE", site.UpstreamFile),
            new("UPSTREAM_NAME", site.UpstreamName),
            new("BLUE_PORT", FreePorts.Next().ToString(CultureInfo.InvariantCulture)),
            new("GREEN_PORT", FreePorts.Next().ToString(CultureInfo.InvariantCulture)),
            .. ModesRun.DockerEnvironment,
        ];
        return new BaselineScript(copy, variables, sshd, site);
    }

    /// <summary>What runs on the server side of the SSH connection: the variables on the command line, then the script.</summary>
    public string RemoteCommand(string image) =>
        string.Join(' ', variables.Select(v => $"{v.Key}={ShellWord(v.Value)}")) + $" bash {ShellWord(script)} {ShellWord(image)}";

    /// <summary>The whole ssh command line of a run over SSH (with the first image), for the run's description.</summary>
    public string DescribeOverSsh(FastAppImages images) => sshd.Describe(RemoteCommand(images.Reference(FastAppImages.Tags[0])));

    /// <summary>One run over SSH (a fresh connection), as CI ran it; returns its wall time in ms (ssh's start to its exit).</summary>
    public Task<double> DeployOverSshAsync(FastAppImages images, CancellationToken cancellationToken) =>
        DeployAsync(images, image => sshd.RunAsync(RemoteCommand(image), TimeSpan.FromMinutes(2), cancellationToken));

    /// <summary>One local run of the script alone, without SSH; returns its wall time in ms (bash's start to its exit).</summary>
    public Task<double> DeployLocallyAsync(FastAppImages images, CancellationToken cancellationToken) =>
        DeployAsync(images, image => ProcessRunner.RunAsync(
            "bash", [script, image], cancellationToken, TimeSpan.FromMinutes(2), environment: environment));

    /// <summary>Removes the script's containers of this run, by their names.</summary>
    public static async Task RemoveContainersAsync(CancellationToken cancellationToken) =>
        await ModesRun.DockerAsync(["rm", "--force", ContainerPrefix + "blue", ContainerPrefix + "green"], cancellationToken);

    private async Task<double> DeployAsync(FastAppImages images, Func<string, Task<ProcessResult>> run)
    {
        var tag = FastAppImages.Other(liveTag ?? FastAppImages.Tags[1]);
        var started = Stopwatch.GetTimestamp();
        var result = await run(images.Reference(tag));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        result.EnsureSuccess();
        liveTag = tag;
        return elapsed;
    }

    /// <summary>A value as one shell word: as it is when it needs no quoting (a path, a port), else in single quotes.</summary>
    private static string ShellWord(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "/._-:@%+,=".Contains(c, StringComparison.Ordinal))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
