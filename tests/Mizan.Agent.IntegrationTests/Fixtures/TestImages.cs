using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// The test app images: built once per test run with `docker import` from a busybox rootfs (and the compiled fast app
/// for the fast variants), pushed once per registry and repository. After a push the registry reference is untagged
/// locally, so an agent that deploys it has to pull it from the registry (the local image stays under its build tag).
/// </summary>
public static partial class TestImages
{
    /// <summary>The repository name (inside a test registry) of the shared test app.</summary>
    public const string Repository = "mizan-test-app";

    private static readonly ConcurrentDictionary<AppVariant, Lazy<Task<string>>> Built = new();
    private static readonly ConcurrentDictionary<string, Lazy<Task<PushedImage>>> Pushed = new();

    /// <summary>The local build tag of a variant, e.g. "mizan-test-app-build:v1-0123abcd".</summary>
    /// <remarks>Shared work runs without the first caller's token (it has its own deadlines); each caller waits with its own.</remarks>
    public static Task<string> BuildAsync(AppVariant variant, CancellationToken cancellationToken) =>
        Built.GetOrAdd(variant, v => new Lazy<Task<string>>(() => BuildOnceAsync(v))).Value.WaitAsync(cancellationToken);

    /// <summary>Builds the variant if needed and pushes it to <paramref name="registry"/> (once per registry and repository).</summary>
    public static Task<PushedImage> PushAsync(AppVariant variant, TestRegistry registry, CancellationToken cancellationToken, string repository = Repository)
    {
        var key = $"{registry.Host}/{repository}:{variant}";
        var lazy = Pushed.GetOrAdd(key, _ => new Lazy<Task<PushedImage>>(() => PushOnceAsync(variant, registry, repository)));
        return RetryIfFailed(key, lazy).WaitAsync(cancellationToken);
    }

    private static async Task<PushedImage> RetryIfFailed(string key, Lazy<Task<PushedImage>> lazy)
    {
        try
        {
            return await lazy.Value;
        }
        catch
        {
            Pushed.TryRemove(KeyValuePair.Create(key, lazy));
            throw;
        }
    }

    private static async Task<string> BuildOnceAsync(AppVariant variant)
    {
        var cancellationToken = CancellationToken.None;
        await RunCleanup.EnsureRegisteredAsync(cancellationToken);
        var recipe = AppImageRecipe.For(variant);
        var localTag = $"{Repository}-build:{recipe.Tag}-{TestRun.Id}";
        if (recipe.Healthcheck is null)
        {
            RunCleanup.TrackImage(await ImportAsync(recipe, localTag, cancellationToken));
            return localTag;
        }

        // The imported image stays as the built one's untagged parent; removing the built one removes both (tracked
        // too in case the build fails: while the child exists, the engine refuses to remove it and nothing is lost).
        var baseTag = $"{localTag}-base";
        RunCleanup.TrackImage(await ImportAsync(recipe, baseTag, cancellationToken));
        RunCleanup.TrackImage(await ClassicDockerBuild.BuildAsync(recipe.HealthcheckDockerfile(baseTag), localTag, cancellationToken));
        await DockerCli.RunAsync(["rmi", baseTag], cancellationToken);
        return localTag;
    }

    /// <summary>`docker import` of the recipe's rootfs with its command and labels; returns the image id.</summary>
    private static async Task<string> ImportAsync(AppImageRecipe recipe, string tag, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "import" };
        foreach (var change in recipe.ImportChanges())
        {
            arguments.Add("--change");
            arguments.Add(change);
        }

        arguments.Add("-");
        arguments.Add(tag);
        var fastApp = recipe.FastApp ? await FastAppBinary.BuildAsync(cancellationToken) : null;
        return await DockerCli.RunAsync(arguments, cancellationToken, recipe.BuildRootfsTar(fastApp), TimeSpan.FromSeconds(60));
    }

    private static async Task<PushedImage> PushOnceAsync(AppVariant variant, TestRegistry registry, string repository)
    {
        var cancellationToken = CancellationToken.None;
        var localTag = await BuildAsync(variant, cancellationToken);
        var tag = AppImageRecipe.For(variant).Tag;
        var fullRepository = $"{registry.Host}/{repository}";
        var reference = $"{fullRepository}:{tag}";
        await DockerCli.RunAsync(["tag", localTag, reference], cancellationToken);
        var pushOutput = await DockerCli.RunAsync(
            ["push", reference],
            cancellationToken,
            deadline: TimeSpan.FromSeconds(60),
            environment: registry.ClientEnvironment);
        await DockerCli.RunAsync(["rmi", reference], cancellationToken);

        var digest = DigestInPushOutput().Match(pushOutput);
        return digest.Success
            ? new PushedImage(variant, fullRepository, tag, digest.Groups[1].Value)
            : throw new InvalidOperationException($"No digest in the output of docker push {reference}:{Environment.NewLine}{pushOutput}");
    }

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex DigestInPushOutput();
}
