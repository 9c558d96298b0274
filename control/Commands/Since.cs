using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mizan.Control.Commands;

/// <summary>--since for `audit`: a duration back from now (30m, 24h, 7d, 90s, 2w) or an ISO 8601 time.</summary>
public static class Since
{
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset value, [NotNullWhen(false)] out string? error)
    {
        var trimmed = text.Trim();
        if (DurationText.TryParse(trimmed, out var span))
        {
            value = now - span;
            error = null;
            return true;
        }

        if (CommitTime.TryParse(trimmed, out value, out _))
        {
            error = null;
            return true;
        }

        // A bare date is midnight UTC.
        if (DateTimeOffset.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            error = null;
            return true;
        }

        error = $"--since '{text}' is neither a duration (30m, 24h, 7d) nor an ISO 8601 time (2024-05-01, 2024-05-01T12:00:00Z).";
        return false;
    }

    /// <summary>The System.CommandLine parser for the option, relative to the current time.</summary>
    public static DateTimeOffset? Parse(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParse(token, DateTimeOffset.UtcNow, out var value, out var error))
        {
            return value;
        }

        result.AddError(error);
        return null;
    }
}
