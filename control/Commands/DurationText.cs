using System.Globalization;
using System.Text.RegularExpressions;

namespace Mizan.Control.Commands;

/// <summary>A span written the way people type it on a command line: 90s, 30m, 24h, 7d, 2w.</summary>
public static partial class DurationText
{
    [GeneratedRegex("^([0-9]{1,6})([smhdw])\\z")]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out TimeSpan value)
    {
        var match = Pattern().Match(text.Trim().ToLowerInvariant());
        if (!match.Success)
        {
            value = default;
            return false;
        }

        var amount = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        value = match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromDays(7.0 * amount),
        };
        return true;
    }
}
