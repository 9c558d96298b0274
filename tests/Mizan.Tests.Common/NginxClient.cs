namespace Mizan.Tests.Common;

/// <summary>GETs through a test nginx, one connection per request (no keep-alive), so each answer reflects the current config.</summary>
public sealed class NginxClient : IDisposable
{
    public const string UpstreamHeader = "X-Mizan-Upstream";

    private readonly HttpClient http;

    public NginxClient(Uri baseAddress)
    {
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public async Task<ServedResponse> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.ConnectionClose = true;
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var upstream = response.Headers.TryGetValues(UpstreamHeader, out var values) ? string.Join(",", values) : "";
        return new ServedResponse(response.StatusCode, body.Trim(), upstream);
    }

    /// <summary>True once anything at all answers HTTP on the port (a 502 counts: nginx is up).</summary>
    public async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GetAsync("/", cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public void Dispose() => http.Dispose();
}
