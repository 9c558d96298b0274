namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// The few Docker Engine API calls that must not depend on a child process: at the end of the run the runner may
/// kill the test host with its process tree, so image removal is sent as parallel HTTP requests the engine
/// carries out on its own.
/// </summary>
public static class DockerEngineApi
{
    public const string SocketPath = UnixSocketHandler.DockerSocket;

    public static async Task DeleteImagesAsync(IReadOnlyCollection<string> imageIds, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(UnixSocketHandler.Create(SocketPath))
        {
            BaseAddress = new Uri("http://docker/"),
        };
        var apiVersion = DockerCli.Environment["DOCKER_API_VERSION"];
        await Task.WhenAll(imageIds.Select(async id =>
        {
            using var response = await http.DeleteAsync(
                new Uri($"v{apiVersion}/images/{Uri.EscapeDataString(id)}?force=1", UriKind.Relative),
                cancellationToken);
        }));
    }
}
