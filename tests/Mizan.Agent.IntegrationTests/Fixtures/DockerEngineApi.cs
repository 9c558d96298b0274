using System.Net.Sockets;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// The few Docker Engine API calls that must not depend on a child process: at the end of the run the runner may
/// kill the test host with its process tree, so image removal is sent as parallel HTTP requests the engine
/// carries out on its own.
/// </summary>
public static class DockerEngineApi
{
    public const string SocketPath = "/var/run/docker.sock";

    public static async Task DeleteImagesAsync(IReadOnlyCollection<string> imageIds, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
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
