using System.Globalization;
using Mizan.Agent.Apps;

namespace Mizan.Agent.Deployments;

/// <summary>
/// Where an image says it came from, by the OCI annotations a build sets as labels: org.opencontainers.image.revision
/// (the commit SHA) and org.opencontainers.image.created (the build time, which stands in for the commit time when the
/// client sent none: a lead time from it leaves out the time between the commit and the build). A label that is
/// missing or does not pass the rules a request's commit fields must pass is ignored.
/// </summary>
public sealed record ImageProvenance(string? Revision, DateTimeOffset? Created)
{
    public const string RevisionLabel = "org.opencontainers.image.revision";
    public const string CreatedLabel = "org.opencontainers.image.created";

    public static ImageProvenance From(IReadOnlyDictionary<string, string>? labels, DateTimeOffset now)
    {
        if (labels is null)
        {
            return new ImageProvenance(null, null);
        }

        var revision = labels.TryGetValue(RevisionLabel, out var sha) && sha.Length > 0 && Commits.IsSha(sha)
            ? sha.ToLowerInvariant()
            : null;
        DateTimeOffset? created = labels.TryGetValue(CreatedLabel, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && Commits.CheckTime(time, now) is null
                ? time
                : null;
        return new ImageProvenance(revision, created);
    }
}
