namespace Mizan.Tests.Common;

/// <summary>What the load saw: counts, the first errors, and which versions and upstreams answered.</summary>
public sealed record LoadReport(
    int Succeeded,
    int Failed,
    IReadOnlyList<string> FirstErrors,
    IReadOnlyDictionary<string, int> ByBody,
    IReadOnlyDictionary<string, int> ByUpstream,
    TimeSpan Elapsed)
{
    /// <summary>Successful requests per method, when the load counted them (<see cref="RawLoadGenerator"/>).</summary>
    public IReadOnlyDictionary<string, int> ByMethod { get; init; } = new Dictionary<string, int>();

    /// <summary>Failed requests per method, when the load counted them.</summary>
    public IReadOnlyDictionary<string, int> FailedByMethod { get; init; } = new Dictionary<string, int>();

    /// <summary>Client connections opened, when the load counted them.</summary>
    public int? Connections { get; init; }

    public int Total => Succeeded + Failed;

    public override string ToString() =>
        $"{Total} requests in {Elapsed.TotalSeconds:0.0} s: {Succeeded} ok, {Failed} failed; " +
        (ByMethod.Count == 0 && FailedByMethod.Count == 0 ? "" : $"ok by method [{Describe(ByMethod)}], failed by method [{Describe(FailedByMethod)}]; ") +
        (Connections is { } opened ? $"{opened} client connections; " : "") +
        $"bodies [{Describe(ByBody)}]; upstreams [{Describe(ByUpstream)}]" +
        (FirstErrors.Count == 0 ? "" : $"; first errors:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", FirstErrors));

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
