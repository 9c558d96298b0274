using Mizan.Agent.IntegrationTests.Fixtures;

namespace Mizan.Bench.Modes;

/// <summary>
/// The integration tests' fast test app (tests/Mizan.Agent.IntegrationTests/Fixtures/fast-app/fast_app.c: one thread,
/// epoll, keep-alive, GET and POST, /health), compiled with `gcc -O2 -static` and imported as two images that hold
/// only it, tagged fast-v1 and fast-v2 (each answers its tag), pushed to the run's registry. The local tags stay, so
/// every deploy after the first finds its image already pulled.
/// </summary>
public sealed class FastAppImages
{
    public const string Repository = "mizan-bench-app";

    public static readonly IReadOnlyList<string> Tags = ["fast-v1", "fast-v2"];

    private FastAppImages(string binary, string repository)
    {
        Binary = binary;
        FullRepository = repository;
    }

    /// <summary>The compiled app on the host: `BINARY VERSION PORT` serves VERSION on 127.0.0.1:PORT.</summary>
    public string Binary { get; }

    /// <summary>"127.0.0.1:PORT/mizan-bench-app".</summary>
    public string FullRepository { get; }

    public string Reference(string tag) => $"{FullRepository}:{tag}";

    /// <summary>The tag of the two that is not <paramref name="tag"/>.</summary>
    public static string Other(string tag) => tag == Tags[0] ? Tags[1] : Tags[0];

    /// <summary>The tag an image reference or the app's answer names, or null.</summary>
    public static string? TagOf(string imageOrBody) =>
        Tags.FirstOrDefault(tag => imageOrBody == tag || imageOrBody.EndsWith(":" + tag, StringComparison.Ordinal));

    public static async Task<FastAppImages> BuildAsync(string directory, LocalRegistry registry, CancellationToken cancellationToken)
    {
        var source = Path.Combine(ModesRun.RepositoryRoot, "tests", "Mizan.Agent.IntegrationTests", "Fixtures", "fast-app", "fast_app.c");
        var binary = Path.Combine(directory, "fast-app");
        (await ProcessRunner.RunAsync("gcc", ["-O2", "-static", "-Wall", "-Wextra", "-Werror", "-o", binary, source], cancellationToken))
            .EnsureSuccess();
        var rootfs = new RootfsTar()
            .File("/bin/fast-app", await File.ReadAllBytesAsync(binary, cancellationToken), executable: true)
            .Directory("/tmp")
            .ToBytes();

        var repository = $"{registry.Host}/{Repository}";
        foreach (var tag in Tags)
        {
            var reference = $"{repository}:{tag}";
            (await ModesRun.DockerAsync(
                [
                    "import",
                    "--change", $"CMD [\"/bin/fast-app\", \"{tag}\"]",
                    "--change", $"LABEL {ModesRun.Label}={ModesRun.Id}",
                    "-", reference
                ],
                cancellationToken,
                rootfs)).EnsureSuccess();
            (await ModesRun.DockerAsync(["push", reference], cancellationToken)).EnsureSuccess();
        }

        return new FastAppImages(binary, repository);
    }

    /// <summary>Removes the images of this run (its label), with every tag and pulled digest they have, never anything else.</summary>
    public static async Task RemoveAsync(CancellationToken cancellationToken)
    {
        var listed = await ModesRun.DockerAsync(["images", "--quiet", "--no-trunc", "--filter", $"label={ModesRun.Label}={ModesRun.Id}"], cancellationToken);
        var ids = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
        if (ids.Length > 0)
        {
            await ModesRun.DockerAsync(["rmi", "--force", .. ids], cancellationToken);
        }
    }
}
