namespace Mizan.Agent.Runtime.Probes;

public sealed record ProbeResult(bool Success, int StatusCode, string? Error, string? ServedBy)
{
    public string Describe() => Error ?? $"HTTP {StatusCode}";
}

/// <summary>One HTTP GET with its own deadline, on a fresh connection so nginx's reloaded workers answer it.</summary>
public sealed class HttpProbe(HttpClient http)
{
    /// <summary>nginx adds this header (with $upstream_addr) so a probe through nginx can tell which slot answered.</summary>
    public const string ServedByHeader = "X-Mizan-Upstream";

    public async Task<ProbeResult> GetAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var servedBy = response.Headers.TryGetValues(ServedByHeader, out var values) ? values.FirstOrDefault() : null;
            var code = (int)response.StatusCode;
            return new ProbeResult(code is >= 200 and < 300, code, null, servedBy);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, 0, $"no answer within {timeout.TotalMilliseconds:0} ms", null);
        }
        catch (HttpRequestException ex)
        {
            return new ProbeResult(false, 0, ex.GetBaseException().Message, null);
        }
    }
}
