namespace Mizan.Agent.Tests.Doubles;

/// <summary>
/// One operation of a double, programmable per call ("the 2nd call fails", "the 1st hangs until cancelled") and
/// counted. A call nothing was programmed for succeeds.
/// </summary>
/// <param name="failure">What the real dependency throws when this operation fails, for a failure given no exception.</param>
public sealed class ScriptedCall(Func<Exception> failure)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private readonly Lock gate = new();
    private readonly Dictionary<int, Func<CancellationToken, Task>> byCall = [];
    private readonly Dictionary<int, TaskCompletionSource> reached = [];
    private Func<CancellationToken, Task>? fromNowOn;
    private int count;

    /// <summary>How many times the operation was asked for.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    /// <summary>The <paramref name="call"/>th call (1-based) fails, with <paramref name="exception"/> or the real dependency's.</summary>
    public ScriptedCall FailsOnCall(int call, Exception? exception = null) => OnCall(call, _ => Task.FromException(exception ?? failure()));

    /// <summary>Every call from now on fails, except those programmed one by one.</summary>
    public ScriptedCall Fails(Exception? exception = null)
    {
        lock (gate)
        {
            fromNowOn = _ => Task.FromException(exception ?? failure());
        }

        return this;
    }

    /// <summary>The <paramref name="call"/>th call waits until it is cancelled, like a registry that never answers.</summary>
    public ScriptedCall HangsOnCall(int call) => OnCall(call, token => Task.Delay(Timeout.Infinite, token));

    /// <summary>The <paramref name="call"/>th call runs <paramref name="behaviour"/> first (e.g. a container crashes meanwhile).</summary>
    public ScriptedCall OnCall(int call, Func<CancellationToken, Task> behaviour)
    {
        lock (gate)
        {
            byCall[call] = behaviour;
        }

        return this;
    }

    public ScriptedCall OnCall(int call, Action behaviour) => OnCall(call, _ =>
    {
        behaviour();
        return Task.CompletedTask;
    });

    /// <summary>Completes once the <paramref name="call"/>th call has begun.</summary>
    public Task CalledAsync(int call = 1)
    {
        lock (gate)
        {
            return Reached(call).Task.WaitAsync(Guard);
        }
    }

    /// <summary>Counts the call and plays what was programmed for it; the double does its work only if this returns.</summary>
    public async Task InvokeAsync(CancellationToken cancellationToken)
    {
        Func<CancellationToken, Task>? behaviour;
        TaskCompletionSource began;
        lock (gate)
        {
            count++;
            behaviour = byCall.GetValueOrDefault(count) ?? fromNowOn;
            began = Reached(count);
        }

        began.TrySetResult();
        if (behaviour is not null)
        {
            await behaviour(cancellationToken);
        }
    }

    private TaskCompletionSource Reached(int call)
    {
        if (!reached.TryGetValue(call, out var source))
        {
            source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            reached[call] = source;
        }

        return source;
    }
}
