namespace Mizan.Agent.Runtime.Probes;

/// <summary>
/// When to probe again, for the health gate and the verify step alike: at once, then soon. While the target does not
/// answer yet the wait doubles from <see cref="Shortest"/> up to the configured interval, so a slow start costs few
/// probes; once it answers, the further successes needed follow <see cref="Shortest"/> apart. A fixed interval would
/// make every deploy wait for it, however fast the app came up; a probe on 127.0.0.1 costs about a millisecond, so the
/// shortest wait is of that order too.
/// </summary>
public sealed class ProbePacing(TimeSpan longest)
{
    public static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(2);

    private TimeSpan next = Shortest < longest ? Shortest : longest;

    public TimeSpan AfterSuccess()
    {
        next = Shortest < longest ? Shortest : longest;
        return next;
    }

    public TimeSpan AfterFailure()
    {
        var wait = next;
        next = next + next < longest ? next + next : longest;
        return wait;
    }
}
