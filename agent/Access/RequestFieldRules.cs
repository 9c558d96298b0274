using Mizan.Agent.Apps;

namespace Mizan.Agent.Access;

/// <summary>
/// Bounds for every string a caller can send, by field name, checked before any handler runs: lengths, the characters
/// allowed, and the grammar of the fields that name things. Returns why a value is refused, or null when it is fine.
/// The refusal never echoes the value back, so a hostile value cannot land in a log line or a terminal.
/// </summary>
public static class RequestFieldRules
{
    public const int MaxText = 1024;
    public const int MaxImage = 255;
    public const int MaxRequestedBy = 200;

    public static string? Check(string field, string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        return field switch
        {
            "app" => AppNames.IsValid(value) ? null : $"must be an app name: {AppNames.Rule}",
            "slot" => value is "blue" or "green" ? null : "must be blue or green",
            "id" => OperationId.TryParse(value, out var id) && id.IsRecorded ? null : $"is not a deployment id ({OperationId.Rule})",
            "commit_sha" => Commits.IsSha(value) ? null : "must be a commit SHA: 7 to 64 hex digits",
            "image" => Bounded(value, MaxImage),
            "requested_by" => Bounded(value, MaxRequestedBy),
            "idempotency_key" => Bounded(value, 128),
            _ => Bounded(value, MaxText),
        };
    }

    /// <summary>How many history or audit rows one call may ask for; 0 means the default.</summary>
    public const int MaxRows = 1000;

    public static string? CheckLimit(int value) => value is < 0 or > MaxRows ? $"must be 0 (the default) to {MaxRows}" : null;

    /// <summary>The window DORA figures are computed over (GetMetricsRequest.window); unset means the default, 30 days.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromHours(1);

    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(400);

    public static string? CheckWindow(TimeSpan value) =>
        value < MinWindow || value > MaxWindow ? "must be between 1 hour and 400 days (e.g. 30d)" : null;

    private static string? Bounded(string value, int max)
    {
        if (value.Length > max)
        {
            return $"is longer than {max} characters";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c)
                || char.IsSurrogate(c)
                || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or '\u202a' or '\u202b' or '\u202c' or '\u202d' or '\u202e')
            {
                return "contains control or invisible formatting characters";
            }
        }

        return null;
    }
}
