using System.Diagnostics;

namespace Mizan.Bench.Modes;

/// <summary>
/// The yardstick: ../shared/baseline/switch.sh (pull, start in the other slot, poll /health once a second, rewrite
/// the upstream, nginx -t, reload), with its own nginx site and upstream, its own slot ports and state directory.
/// It runs from a copy whose only change is its container names, baseline-RUN-blue/green instead of
/// baseline-blue/green: the script removes a container of that name before it starts one, and another person's run
/// of it on this machine must not lose its containers to ours (nor ours to theirs).
/// </summary>
public sealed class BaselineScript
{
    private readonly string script;
    private readonly IReadOnlyDictionary<string, string> environment;
    private string? liveTag;

    private BaselineScript(string script, IReadOnlyDictionary<string, string> environment, NginxSite site)
    {
        this.script = script;
        this.environment = environment;
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
        var environment = new Dictionary<string, string>(ModesRun.DockerEnvironment, StringComparer.Ordinal)
        {
            ["STATE_DIR"] = Directory.CreateDirectory(Path.Combine(directory, "state")).FullName,
            ["NGINX_CONF"] = nginx.ConfigFile,
            ["UPSTREAM_FILE"] = site.UpstreamFile,
            ["UPSTREAM_NAME"] = site.UpstreamName,
            ["BLUE_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GREEN_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new BaselineScript(copy, environment, site);
    }

    /// <summary>One run of the script with the tag that is not live; returns its wall time in ms (start to exit).</summary>
    public async Task<double> DeployAsync(FastAppImages images, CancellationToken cancellationToken)
    {
        var tag = FastAppImages.Other(liveTag ?? FastAppImages.Tags[1]);
        var started = Stopwatch.GetTimestamp();
        var result = await ProcessRunner.RunAsync(
            "bash", [script, images.Reference(tag)], cancellationToken, TimeSpan.FromMinutes(2), environment: environment);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        result.EnsureSuccess();
        liveTag = tag;
        return elapsed;
    }

    /// <summary>Removes the script's containers of this run, by their names.</summary>
    public static async Task RemoveContainersAsync(CancellationToken cancellationToken) =>
        await ModesRun.DockerAsync(["rm", "--force", ContainerPrefix + "blue", ContainerPrefix + "green"], cancellationToken);
}
