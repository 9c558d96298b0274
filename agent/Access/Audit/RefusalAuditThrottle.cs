using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Access.Audit;

/// <summary>
/// Bounds what refused calls write to the audit log, per caller (<see cref="CallerIdentity"/>): the first
/// Security:AuditedRefusalsPerMinute of a caller's minute are recorded one by one, the rest only counted, and the count
/// becomes one summary row when that minute is over (<see cref="TakeSummaries"/>). Refusals cost the caller nothing
/// else, so without this a refused client in a loop would write a row, and a log line, per attempt.
/// </summary>
public sealed class RefusalAuditThrottle(IOptions<AgentOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly int perWindow = options.Value.Security.AuditedRefusalsPerMinute;
    private readonly Lock gate = new();
    private readonly Dictionary<string, CallerWindow> windows = new(StringComparer.Ordinal);
    private readonly List<AuditRecord> closed = [];

    /// <summary>Refused before a handler acted: unauthenticated, forbidden, invalid or over a limit.</summary>
    public static bool IsRefusal(Exception exception) => exception is RpcException
    {
        StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.ResourceExhausted,
    };

    /// <summary>True when <paramref name="refusal"/> is to be written now; false when it was counted into its caller's summary.</summary>
    public bool Admit(string caller, AuditRecord refusal)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (windows.TryGetValue(caller, out var window) && now >= window.Ends)
            {
                Close(caller, window);
                window = null;
            }

            if (window is null)
            {
                window = new CallerWindow(now + Window);
                windows[caller] = window;
            }

            if (window.Written < perWindow)
            {
                window.Written++;
                return true;
            }

            window.Count(refusal);
            return false;
        }
    }

    /// <summary>The summary rows of the windows that are over; every window's when <paramref name="all"/> (at shutdown).</summary>
    public IReadOnlyList<AuditRecord> TakeSummaries(bool all = false)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            foreach (var (caller, window) in windows.Where(pair => all || now >= pair.Value.Ends).ToList())
            {
                Close(caller, window);
            }

            var summaries = closed.ToList();
            closed.Clear();
            return summaries;
        }
    }

    private void Close(string caller, CallerWindow window)
    {
        windows.Remove(caller);
        if (window.Summary(perWindow) is { } summary)
        {
            closed.Add(summary);
        }
    }

    private sealed class CallerWindow(DateTimeOffset ends)
    {
        private readonly HashSet<string> actions = new(StringComparer.Ordinal);
        private readonly HashSet<string> apps = new(StringComparer.Ordinal);
        private int counted;
        private DateTimeOffset first;
        private AuditRecord? last;

        public DateTimeOffset Ends { get; } = ends;

        public int Written { get; set; }

        public void Count(AuditRecord refusal)
        {
            if (counted++ == 0)
            {
                first = refusal.At;
            }

            last = refusal;
            // Bounded: a caller's summary names at most a few; more are "several".
            if (actions.Count < 4)
            {
                actions.Add(refusal.Action);
            }

            if (apps.Count < 4)
            {
                apps.Add(refusal.App);
            }
        }

        public AuditRecord? Summary(int perWindow)
        {
            if (last is null)
            {
                return null;
            }

            var between = $"{first.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} and {last.At.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC";
            return last with
            {
                Action = actions.Count == 1 ? last.Action : "several",
                App = apps.Count == 1 ? last.App : "",
                Detail = $"{counted} refused calls between {between}, after the {perWindow} of that minute recorded one by one " +
                    $"(Security:AuditedRefusalsPerMinute); the last asked: {(last.Detail.Length == 0 ? "-" : last.Detail)}",
                Outcome = $"{counted} more refused; the last: {last.Outcome}",
                DeploymentId = null,
            };
        }
    }
}
