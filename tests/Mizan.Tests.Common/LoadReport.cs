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
    public int Total => Succeeded + Failed;

    public override string ToString() =>
        $"{Total} requests in {Elapsed.TotalSeconds:0.0} s: {Succeeded} ok, {Failed} failed; " +
        $"bodies [{Describe(ByBody)}]; upstreams [{Describe(ByUpstream)}]" +
        (FirstErrors.Count == 0 ? "" : $"; first errors:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", FirstErrors));

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
