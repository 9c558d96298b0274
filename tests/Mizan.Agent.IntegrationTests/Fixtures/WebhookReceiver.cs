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
    private readonly HttpListener _listener = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly List<HttpListenerContext> _held = [];
    private readonly bool _hang;
    private readonly Task _serving;
    private int _failuresLeft;
    private HttpStatusCode _failure = HttpStatusCode.InternalServerError;

    private WebhookReceiver(bool hang)
    {
        _hang = hang;
        Port = FreePorts.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
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
        lock (_received)
        {
            _failuresLeft = count;
            _failure = status;
        }
    }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Requests
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
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
        _listener.Stop();
        lock (_received)
        {
            foreach (var held in _held)
            {
                held.Response.Abort();
            }
        }

        _listener.Close();
        await _serving;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
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
        lock (_received)
        {
            status = _hang ? 0 : _failuresLeft > 0 ? (int)_failure : 200;
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
            }

            _received.Add(new ReceivedWebhook(
                context.Request.HttpMethod,
                context.Request.Url?.AbsolutePath ?? "",
                context.Request.ContentType ?? "",
                context.Request.UserAgent ?? "",
                body,
                status,
                DateTimeOffset.UtcNow));
            if (_hang)
            {
                _held.Add(context);
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
