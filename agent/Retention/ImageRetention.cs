namespace Mizan.Agent.Retention;

/// <summary>Which local images of an app's repository may go: the rule, with no I/O.</summary>
public static class ImageRetention
{
    /// <summary>
    /// The digests to keep: every image a container of the app uses (live, standby, or a stopped one kept for its logs),
    /// the images of deployments still running, and the last <paramref name="keepVersions"/> distinct versions that went live.
    /// </summary>
    /// <param name="succeededNewestFirst">Digests of succeeded deployments, newest first.</param>
    public static HashSet<string> DigestsToKeep(
        IEnumerable<string> containerDigests,
        IEnumerable<string> runningDeploymentDigests,
        IEnumerable<string> succeededNewestFirst,
        int keepVersions)
    {
        var keep = new HashSet<string>(containerDigests.Where(d => d.Length > 0), StringComparer.Ordinal);
        keep.UnionWith(runningDeploymentDigests.Where(d => d.Length > 0));
        keep.UnionWith(succeededNewestFirst.Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).Take(Math.Max(0, keepVersions)));
        return keep;
    }

    /// <summary>
    /// An image may be removed when the agent deployed it (one of its digests is in the app's deployment history) and
    /// none of its digests is kept. Anything else under the repository (pushed or built on this machine by someone
    /// else, a CI runner's cache, an image pulled by hand) is not the agent's to remove.
    /// </summary>
    public static bool MayRemove(IReadOnlyList<string> digestReferences, IReadOnlySet<string> deployed, IReadOnlySet<string> keep)
    {
        var digests = digestReferences.Select(DigestOf).ToList();
        return digests.Any(deployed.Contains) && !digests.Any(keep.Contains);
    }

    /// <summary>"repo@sha256:abc" → "sha256:abc".</summary>
    public static string DigestOf(string reference)
    {
        var at = reference.LastIndexOf('@');
        return at < 0 ? reference : reference[(at + 1)..];
    }
}
