using System.Globalization;
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
    public const int MaxIdempotencyKey = 128;

    public static string? Check(string field, string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var max = MaxLength(field);
        if (value.Length > max)
        {
            return $"is longer than {max} characters";
        }

        if (FirstRefusedCharacter(value) is { } refused)
        {
            return refused;
        }

        return field switch
        {
            "app" => AppNames.IsValid(value) ? null : $"must be an app name: {AppNames.Rule}",
            "slot" => value is "blue" or "green" ? null : "must be blue or green",
            "id" => OperationId.TryParse(value, out var id) && id.IsRecorded ? null : $"is not a deployment id ({OperationId.Rule})",
            "commit_sha" => Commits.IsSha(value) ? null : "must be a commit SHA: 7 to 64 hex digits",
            _ => null,
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

    private static int MaxLength(string field) => field switch
    {
        "image" => MaxImage,
        "requested_by" => MaxRequestedBy,
        "idempotency_key" => MaxIdempotencyKey,
        _ => MaxText,
    };

    /// <summary>
    /// The first character no field accepts, named by its code point: controls (C0, DEL, C1), the whole Unicode
    /// "format" category (bidi controls, zero-width characters, U+FEFF, soft hyphen, ...), line and paragraph
    /// separators, surrogates, and U+FFFD, which a client leaves where it could not decode its input (bytes that are not
    /// UTF-8 on the wire never get this far: protobuf refuses the whole message).
    /// </summary>
    private static string? FirstRefusedCharacter(string value)
    {
        for (var index = 0; index < value.Length; index++)
        {
            if (RefusedKind(value[index]) is { } kind)
            {
                return $"contains U+{(int)value[index]:X4} ({kind}) at character {index + 1}; send printable text only";
            }
        }

        return null;
    }

    private static string? RefusedKind(char c) => c switch
    {
        _ when char.IsControl(c) => "a control character",
        _ when char.IsSurrogate(c) => "a surrogate: characters beyond U+FFFF are not accepted",
        '\uFFFD' => "the replacement character, left where the client could not decode its own input",
        _ => CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.Format => "an invisible formatting character",
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line or paragraph separator",
            _ => null,
        },
    };
}
