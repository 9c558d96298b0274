using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Mizan.Control.Commands;

/// <summary>--since for `audit`: a duration back from now (30m, 24h, 7d, 90s, 2w) or an ISO 8601 time.</summary>
public static partial class Since
{
    [GeneratedRegex("^([0-9]{1,6})([smhdw])\\z")]
    private static partial Regex DurationPattern();

    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset value, [NotNullWhen(false)] out string? error)
    {
        var trimmed = text.Trim();
        var match = DurationPattern().Match(trimmed.ToLowerInvariant());
        if (match.Success)
        {
            var amount = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var span = match.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7.0 * amount),
            };
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
