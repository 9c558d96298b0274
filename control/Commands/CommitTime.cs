using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mizan.Control.Commands;

/// <summary>--commit-time: ISO 8601 with an explicit offset, as `git log -1 --format=%cI` prints it.</summary>
public static class CommitTime
{
    // An offset is required: a bare local time would be read in the runner's time zone, not the committer's.
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd'T'HH:mm'Z'",
    ];

    public static bool TryParse(string text, out DateTimeOffset value, [NotNullWhen(false)] out string? error)
    {
        var trimmed = text.Trim();
        if (DateTimeOffset.TryParseExact(
                trimmed,
                Formats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal,
                out value))
        {
            error = null;
            return true;
        }

        error = $"--commit-time '{text}' is not an ISO 8601 time with an offset, " +
            "e.g. 2024-05-01T12:34:56+02:00 or 2024-05-01T10:34:56Z (git log -1 --format=%cI).";
        return false;
    }

    /// <summary>The System.CommandLine parser for the option: a bad value becomes a usage error.</summary>
    public static DateTimeOffset? Parse(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParse(token, out var value, out var error))
        {
            return value;
        }

        result.AddError(error);
        return null;
    }
}
