using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;

namespace Mizan.Control.Commands;

/// <summary>--window for `metrics`: how far back the figures look, 1 hour to 400 days (the agent's bounds).</summary>
public static class MetricsWindow
{
    public static readonly TimeSpan Default = TimeSpan.FromDays(30);
    public static readonly TimeSpan Min = TimeSpan.FromHours(1);
    public static readonly TimeSpan Max = TimeSpan.FromDays(400);

    public static bool TryParse(string text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        if (!DurationText.TryParse(text, out value))
        {
            error = $"--window '{text}' is not a duration; use e.g. 12h, 30d or 2w.";
            return false;
        }

        if (value < Min || value > Max)
        {
            error = $"--window '{text}' must be between 1h and 400d.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The System.CommandLine parser for the option.</summary>
    public static TimeSpan Parse(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParse(token, out var value, out var error))
        {
            return value;
        }

        result.AddError(error);
        return Default;
    }
}
