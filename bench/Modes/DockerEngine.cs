namespace Mizan.Bench.Modes;

/// <summary>
/// The one Docker Engine API call the bench makes itself rather than through the docker CLI: the kill of the live
/// container. It is what `docker kill` sends, without the CLI's start-up in front of it, so the bench knows to a
/// fraction of a millisecond when the engine got the request, and the container's death lies between that and its
/// State.FinishedAt.
/// </summary>
public static class DockerEngine
{
    /// <summary>POST /containers/NAME/kill (SIGKILL); returns the wall-clock time just before the request was sent.</summary>
    public static async Task<DateTimeOffset> KillAsync(string container, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(UnixSocketHandler.Create(UnixSocketHandler.DockerSocket))
        {
            BaseAddress = new Uri("http://docker/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var version = ModesRun.DockerEnvironment["DOCKER_API_VERSION"];
        // Connected and warm first, so the time taken is the request's own.
        using (var ping = await http.GetAsync(new Uri($"v{version}/_ping", UriKind.Relative), cancellationToken))
        {
            ping.EnsureSuccessStatusCode();
        }

        var sent = DateTimeOffset.UtcNow;
        using var response = await http.PostAsync(
            new Uri($"v{version}/containers/{Uri.EscapeDataString(container)}/kill?signal=KILL", UriKind.Relative),
            content: null,
            cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var why = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"the engine refused to kill {container}: {(int)response.StatusCode} {why}");
        }

        return sent;
    }
}
