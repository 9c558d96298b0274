using System.Net.Http.Headers;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>
/// The one HttpClient all webhooks share. Not from IHttpClientFactory on purpose: its logging handlers write each
/// request's full URL, and a webhook URL is a secret. No proxy from the environment, no redirects (the body would
/// follow to another host), no client-wide timeout (each attempt has its own).
/// </summary>
public static class WebhookHttp
{
    public static HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(
            new ProductInfoHeaderValue("mizan-agent", typeof(WebhookHttp).Assembly.GetName().Version?.ToString(3) ?? "0"));
        return client;
    }
}
