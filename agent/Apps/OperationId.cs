using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mizan.Agent.Apps;

/// <summary>What an operation that holds an app's lock is; its id's prefix says so.</summary>
public enum OperationKind
{
    /// <summary>A recorded deploy or rollback ("d-..."): history, watch and webhooks know it.</summary>
    Deployment,

    /// <summary>A primitive step of a pipeline that drives its own deploy ("p-..."): pull, start, check or switch.</summary>
    Primitive,

    /// <summary>Auto-heal acting on a failed live slot ("h-...").</summary>
    AutoHeal,

    /// <summary>The agent stopping a standby whose lease ran out ("s-...").</summary>
    StandbyExpiry,
}

/// <summary>
/// The id of one operation on an app, e.g. <c>d-20261127-100000-0f3a9c</c>: kind, UTC time and a random suffix,
/// so ids sort by time, read well in a log, and say what they are without a lookup.
/// </summary>
public readonly record struct OperationId
{
    private const string TimeFormat = "yyyyMMdd-HHmmss";
    private const int SuffixLength = 6;
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    private OperationId(OperationKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>How a deployment id is written, for error messages.</summary>
    public const string Rule = "d-YYYYMMDD-HHMMSS-xxxxxx";

    public OperationKind Kind { get; }

    public string Value { get; }

    /// <summary>The kinds a caller can look up in the history: <c>mizanctl watch</c> and <c>history</c> take these.</summary>
    public bool IsRecorded => Kind is OperationKind.Deployment or OperationKind.Primitive;

    public static OperationId New(OperationKind kind, TimeProvider time)
    {
        var stamp = time.GetUtcNow().ToString(TimeFormat, CultureInfo.InvariantCulture);
        return new OperationId(kind, $"{Prefix(kind)}-{stamp}-{Guid.NewGuid().ToString("N")[..SuffixLength]}");
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out OperationId id)
    {
        id = default;
        if (text is not { Length: 2 + 15 + 1 + SuffixLength } || text[1] != '-' || text[17] != '-' || KindOf(text[0]) is not { } kind)
        {
            return false;
        }

        var validTime = DateTime.TryParseExact(text.AsSpan(2, 15), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        if (!validTime || text.AsSpan(18).ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        id = new OperationId(kind, text);
        return true;
    }

    /// <summary>The kind an id recorded earlier (a container label, a standby lease) names, or null if it is no operation id.</summary>
    public static OperationKind? KindOf(string? text) => TryParse(text, out var id) ? id.Kind : null;

    public override string ToString() => Value;

    private static char Prefix(OperationKind kind) => kind switch
    {
        OperationKind.Deployment => 'd',
        OperationKind.Primitive => 'p',
        OperationKind.AutoHeal => 'h',
        OperationKind.StandbyExpiry => 's',
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no prefix for this kind"),
    };

    private static OperationKind? KindOf(char prefix) => prefix switch
    {
        'd' => OperationKind.Deployment,
        'p' => OperationKind.Primitive,
        'h' => OperationKind.AutoHeal,
        's' => OperationKind.StandbyExpiry,
        _ => null,
    };
}
