namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// A load report of a Traffic:Mode Redirect scenario, told by how nginx reached the answer: at the first front port it
/// tried, through the backup after every primary refused, or at a later primary. nginx's $upstream_addr lists every
/// front port it tried, so the report's own list of upstreams runs to pages once requests fail over.
/// </summary>
public static class FrontPortLoadSummary
{
    /// <summary>Answers nginx got only from the backup front port, after every primary refused ("a, b, ..., backup").</summary>
    public static int ThroughTheBackup(LoadReport report, AgentConfig config) =>
        report.ByUpstream
            .Where(u => u.Key.Contains(',', StringComparison.Ordinal) && u.Key.EndsWith($":{config.BackupFrontPort}", StringComparison.Ordinal))
            .Sum(u => u.Value);

    /// <summary>Answers from the first front port nginx tried.</summary>
    public static int AtTheFirstTry(LoadReport report) => report.ByUpstream.Where(u => !u.Key.Contains(',', StringComparison.Ordinal)).Sum(u => u.Value);

    public static string Describe(LoadReport report, AgentConfig config)
    {
        var first = AtTheFirstTry(report);
        var backup = ThroughTheBackup(report, config);
        return $"{report.Total} requests in {report.Elapsed.TotalSeconds:0.0} s: {report.Succeeded} ok, {report.Failed} failed; " +
            $"ok by method [{Counts(report.ByMethod)}], failed by method [{Counts(report.FailedByMethod)}]; {report.Connections} client connections; " +
            $"bodies [{Counts(report.ByBody)}]; answered at the first front port tried {first}, through the backup after every primary refused " +
            $"{backup}, at a later primary {report.Succeeded - first - backup}" +
            (report.FirstErrors.Count == 0 ? "" : $"; first errors:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", report.FirstErrors));
    }

    private static string Counts(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
