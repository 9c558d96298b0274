using System.Text.RegularExpressions;

namespace Mizan.Agent.Apps;

/// <summary>
/// What passes for a commit: a SHA and a commit time. A request's fields and an image's labels are held to the same
/// rules, so a lead time never rests on a value a client could not have sent.
/// </summary>
public static partial class Commits
{
    [GeneratedRegex("^[0-9a-fA-F]{7,64}\\z")]
    private static partial Regex ShaPattern();

    public static bool IsSha(string value) => ShaPattern().IsMatch(value);

    /// <summary>A commit time from before git existed, or from the future, is a mistake (or worse).</summary>
    public static string? CheckTime(DateTimeOffset value, DateTimeOffset now) =>
        value < new DateTimeOffset(2005, 1, 1, 0, 0, 0, TimeSpan.Zero) || value > now.AddDays(1)
            ? "must be a real commit time, not before 2005 nor in the future"
            : null;
}
