using System.Collections.Concurrent;

namespace Mizan.Agent.Tests.Reporting.Notifications;

/// <summary>
/// Answers the sender's requests in-process: call n (1-based) gets what <paramref name="answer"/> gives, so a test
/// decides per attempt between a status, an exception and no answer at all. The scenarios use a real HTTP listener.
/// </summary>
internal sealed class StubWebhookHandler(Func<int, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<HttpRequestMessage>> calls = new();
    private readonly ConcurrentQueue<string> bodies = new();
    private int count;

    public int Calls => Volatile.Read(ref count);

    public IReadOnlyList<string> Bodies => [.. bodies];

    public static StubWebhookHandler Answering(params System.Net.HttpStatusCode[] statuses) =>
        new((n, _) => Task.FromResult(new HttpResponseMessage(statuses[Math.Min(n, statuses.Length) - 1])));

    /// <summary>Never answers: the request ends only when the sender cancels it.</summary>
    public static async Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Completes when call <paramref name="number"/> (1-based) has arrived; fails after a guard time.</summary>
    public Task<HttpRequestMessage> CallAsync(int number) => Call(number).Task.WaitAsync(Guard);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref count);
        bodies.Enqueue(await request.Content!.ReadAsStringAsync(cancellationToken));
        Call(number).TrySetResult(request);
        return await answer(number, cancellationToken);
    }

    private TaskCompletionSource<HttpRequestMessage> Call(int number) =>
        calls.GetOrAdd(number, _ => new TaskCompletionSource<HttpRequestMessage>(TaskCreationOptions.RunContinuationsAsynchronously));
}
