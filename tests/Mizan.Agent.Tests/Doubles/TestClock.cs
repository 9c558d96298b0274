using Microsoft.Extensions.Time.Testing;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>
/// A FakeTimeProvider that knows which of its timers are armed, so a test can run code that waits (health-check
/// intervals, verify retries, time-outs) without waiting: <see cref="DriveAsync(Task)"/> moves time to the next timer
/// each time the code waits on one, until the code ends.
/// </summary>
public sealed class TestClock() : FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero))
{
    /// <summary>Only for a run that waits on something other than this clock (a bug): tests never wait this long otherwise.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private readonly List<ArmedTimer> timers = [];
    private TaskCompletionSource armed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ArmedTimer(this);
        timer.Arm(dueTime, period);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        TaskCompletionSource woken;
        lock (gate)
        {
            timers.Add(timer);
            woken = armed;
            armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
        return timer;
    }

    /// <summary>Runs <paramref name="work"/> to its end, moving time forward whenever it waits on this clock.</summary>
    public async Task DriveAsync(Task work)
    {
        var guard = Task.Delay(HangGuard);
        while (!work.IsCompleted)
        {
            if (guard.IsCompleted)
            {
                throw new TimeoutException("the work waits on something other than the test clock");
            }

            Task next;
            DateTimeOffset? due;
            lock (gate)
            {
                due = timers.Where(t => t.DueAt is not null).Min(t => t.DueAt);
                next = armed.Task;
            }

            if (due is { } at)
            {
                var now = GetUtcNow();
                Advance(at > now ? at - now : TimeSpan.FromTicks(1));
                await Task.Yield();
                continue;
            }

            await Task.WhenAny(work, next, guard);
        }

        await work;
    }

    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        await DriveAsync((Task)work);
        return await work;
    }

    private void Disarmed(ArmedTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    /// <summary>Wraps the fake timer to know when it is next due.</summary>
    private sealed class ArmedTimer(TestClock clock) : ITimer
    {
        private readonly Lock gate = new();
        private DateTimeOffset? dueAt;
        private TimeSpan period;

        public ITimer? Inner { get; set; }

        public DateTimeOffset? DueAt
        {
            get
            {
                lock (gate)
                {
                    return dueAt;
                }
            }
        }

        public void Arm(TimeSpan dueTime, TimeSpan everyPeriod)
        {
            var now = clock.GetUtcNow();
            lock (gate)
            {
                dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : now + dueTime;
                period = everyPeriod;
            }
        }

        public void Fired()
        {
            lock (gate)
            {
                dueAt = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : dueAt + period;
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            Inner?.Dispose();
            clock.Disarmed(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
