using System.Net;
using System.Text;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener on a free port) that records every POST the agent's webhooks send.
/// It answers 200, or the status given to <see cref="FailNext"/> for the next requests, or, when started with
/// <c>hang: true</c>, never answers at all (the request stays open until the receiver is disposed).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly List<ReceivedWebhook> received = [];
    private readonly List<HttpListenerContext> held = [];
    private readonly bool hang;
    private readonly Task serving;
    private int failuresLeft;
    private HttpStatusCode failure = HttpStatusCode.InternalServerError;

    private WebhookReceiver(bool hang)
    {
        this.hang = hang;
        Port = FreePorts.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public static WebhookReceiver Start(bool hang = false) => new(hang);

    /// <summary>
    /// A webhook URL on this receiver whose path holds a fresh random token, as Slack's and Discord's do;
    /// <paramref name="secret"/> is that token, for asserting that it never shows up in a log.
    /// </summary>
    public string NewSecretUrl(string service, out string secret)
    {
        secret = "s3cr3t" + Guid.NewGuid().ToString("N");
        return $"http://127.0.0.1:{Port}/{service}/hooks/{secret}";
    }

    /// <summary>The next <paramref name="count"/> requests are answered <paramref name="status"/> instead of 200.</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.InternalServerError)
    {
        lock (this.received)
        {
            failuresLeft = count;
            failure = status;
        }
    }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Requests
    {
        get
        {
            lock (this.received)
            {
                return [.. this.received];
            }
        }
    }

    /// <summary>Waits for a request that matches, then returns it.</summary>
    public Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> match, string what, CancellationToken cancellationToken, TimeSpan? deadline = null) =>
        Eventually.ValueAsync(
            _ => Task.FromResult(Requests.FirstOrDefault(match)),
            found => found is not null,
            deadline ?? TimeSpan.FromSeconds(30),
            _ => $"{what}; received so far:{Environment.NewLine}{Describe()}",
            cancellationToken)!;

    public string Describe() => string.Join(Environment.NewLine, Requests.Select(r => $"  {r}"));

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        lock (this.received)
        {
            foreach (var held in this.held)
            {
                held.Response.Abort();
            }
        }

        listener.Close();
        await serving;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        int status;
        lock (this.received)
        {
            status = this.hang ? 0 : failuresLeft > 0 ? (int)failure : 200;
            if (failuresLeft > 0)
            {
                failuresLeft--;
            }

            this.received.Add(new ReceivedWebhook(
                context.Request.HttpMethod,
                context.Request.Url?.AbsolutePath ?? "",
                context.Request.ContentType ?? "",
                context.Request.UserAgent ?? "",
                body,
                status,
                DateTimeOffset.UtcNow));
            if (this.hang)
            {
                this.held.Add(context);
                return;
            }
        }

        try
        {
            context.Response.StatusCode = status;
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The agent gave up on this request first.
        }
    }
}
