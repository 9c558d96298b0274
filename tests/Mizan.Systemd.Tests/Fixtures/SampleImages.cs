using System.Diagnostics;

namespace Mizan.Systemd.Tests.Fixtures;

/// <summary>
/// A registry (Distribution, `docker-registry serve`) on a free 127.0.0.1 port holding the bundled sample app as
/// v1 and v2 (packaging/sample-app/build.sh), started once per test run and killed by its pid when the run ends.
/// </summary>
public sealed class SampleImages
{
    private static readonly Lazy<Task<SampleImages>> Shared = new(StartAsync);

    private SampleImages(string repository) => Repository = repository;

    /// <summary>"127.0.0.1:PORT/sample": deploy `Repository:v1` or `:v2`.</summary>
    public string Repository { get; }

    public static Task<SampleImages> GetAsync(CancellationToken cancellationToken) => Shared.Value.WaitAsync(cancellationToken);

    private static async Task<SampleImages> StartAsync()
    {
        var port = FreePorts.Next();
        var directory = Directory.CreateTempSubdirectory("mizan-systemd-registry-").FullName;
        var config = Path.Combine(directory, "registry.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {directory}/storage
            http:
              addr: 127.0.0.1:{port}
            """);
        var registry = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("docker-registry did not start");
        registry.OutputDataReceived += (_, _) => { };
        registry.ErrorDataReceived += (_, _) => { };
        registry.BeginOutputReadLine();
        registry.BeginErrorReadLine();
        var repository = $"127.0.0.1:{port}/sample";
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            registry.Kill();
            _ = Docker.TryAsync(["rmi", $"{repository}:v1", $"{repository}:v2"], CancellationToken.None).Wait(TimeSpan.FromSeconds(10));
            Directory.Delete(directory, recursive: true);
        };

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        await Eventually.TrueAsync("the test registry answers", TimeSpan.FromSeconds(30), async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/v2/"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });

        foreach (var version in new[] { "v1", "v2" })
        {
            (await ProcessRunner.RunAsync(
                global::Mizan.Systemd.Tests.Fixtures.Repository.PathOf("packaging", "sample-app", "build.sh"),
                [repository, version],
                CancellationToken.None,
                TimeSpan.FromMinutes(2),
                environment: new Dictionary<string, string> { ["DOCKER_API_VERSION"] = "1.41" })).EnsureSuccess();
        }

        return new SampleImages(repository);
    }
}
