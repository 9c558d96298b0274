namespace Mizan.Bench.Modes;

/// <summary>
/// A private registry (`docker-registry serve CONFIG`, Distribution 2.8) on a free 127.0.0.1 port with its storage in
/// the run's directory. The engine treats 127.0.0.0/8 registries as insecure, so plain http works.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private readonly ChildProcess process;

    private LocalRegistry(ChildProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:PORT", the registry part of an image reference.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public static async Task<LocalRegistry> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var port = FreePorts.Next();
        var storage = Directory.CreateDirectory(Path.Combine(directory, "storage")).FullName;
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {storage}
            http:
              addr: 127.0.0.1:{port}

            """, cancellationToken);
        var registry = new LocalRegistry(ChildProcess.Start("docker-registry", ["serve", config], Path.Combine(directory, "registry.log")), port);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Eventually.TrueAsync(
                async token =>
                {
                    if (registry.process.HasExited)
                    {
                        throw new InvalidOperationException($"docker-registry exited:{Environment.NewLine}{registry.process.Tail()}");
                    }

                    try
                    {
                        using var response = await http.GetAsync(new Uri($"http://{registry.Host}/v2/"), token);
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(15),
                () => $"the registry on {registry.Host} to answer /v2/",
                cancellationToken);
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }

        return registry;
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
