namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// nginx of one test running as a container with host networking, for the agent's Container mode. The config
/// directory is bind-mounted at the same path (so the agent's Upstream.File on the host is what nginx includes)
/// and its nginx.conf also at /etc/nginx/nginx.conf. Found by name or by the label <see cref="FindLabel"/>.
/// </summary>
public sealed class NginxContainer : IAsyncDisposable
{
    public const string LabelKey = "mizan.test.nginx";

    private NginxContainer(NginxConfigDirectory config, string name, string id, string labelValue)
    {
        Config = config;
        Name = name;
        Id = id;
        FindLabel = $"{LabelKey}={labelValue}";
        Client = new NginxClient(config.BaseAddress);
    }

    public NginxConfigDirectory Config { get; }

    public string Name { get; }

    public string Id { get; }

    /// <summary>"key=value" that finds this container and no other.</summary>
    public string FindLabel { get; }

    public NginxClient Client { get; }

    public static async Task<NginxContainer> StartAsync(string appName, string upstreamName, CancellationToken cancellationToken)
    {
        var image = await NginxContainerImage.GetAsync(cancellationToken);
        var config = new NginxConfigDirectory(appName, upstreamName);
        var labelValue = TestRun.NewShortId();
        var name = $"mizan-test-nginx-{appName}";
        try
        {
            var id = await DockerCli.RunAsync(
                [
                    "run", "--detach",
                    "--name", name,
                    "--label", $"{TestRun.Label}=nginx",
                    "--label", $"{TestRun.RunLabel}={TestRun.Id}",
                    "--label", $"{LabelKey}={labelValue}",
                    "--network", "host",
                    "--volume", $"{config.Directory}:{config.Directory}",
                    "--volume", $"{config.ConfigFile}:/etc/nginx/nginx.conf:ro",
                    image,
                ],
                cancellationToken);
            var container = new NginxContainer(config, name, id, labelValue);
            await Eventually.TrueAsync(
                container.Client.AnswersAsync,
                TimeSpan.FromSeconds(15),
                () => $"nginx container {name} to answer on {config.BaseAddress}",
                cancellationToken);
            return container;
        }
        catch
        {
            await DockerCli.TryAsync(["rm", "--force", name], CancellationToken.None);
            config.Dispose();
            throw;
        }
    }

    public Task<ServedResponse> GetAsync(string path, CancellationToken cancellationToken) => Client.GetAsync(path, cancellationToken);

    /// <summary>`docker exec NAME nginx -t`.</summary>
    public Task<ProcessResult> TestConfigAsync(CancellationToken cancellationToken) =>
        DockerCli.TryAsync(["exec", Name, "nginx", "-t"], cancellationToken);

    /// <summary>`docker kill -s HUP NAME`: nginx re-reads its configuration.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken) =>
        await DockerCli.RunAsync(["kill", "--signal", "HUP", Name], cancellationToken);

    public Task<ContainerSnapshot?> InspectAsync(CancellationToken cancellationToken) => DockerCli.InspectContainerAsync(Id, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await DockerCli.TryAsync(["rm", "--force", Id], CancellationToken.None);
        Config.Dispose();
    }
}
