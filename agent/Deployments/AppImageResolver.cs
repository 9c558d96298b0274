using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Deployments;

/// <summary>
/// Turns what a caller asked for ("v2", "sha256:…", or a full reference) into a reference the app's image policy
/// allows: its own repository, or one its policy lists; a digest when the policy wants digests only.
/// </summary>
public static class AppImageResolver
{
    public static ImageReference Resolve(string appName, AppOptions app, string requested)
    {
        var repo = ImageReference.Parse(app.Image);
        var text = requested.Trim();
        if (text.Length == 0)
        {
            throw new InvalidRequestException($"no image given for app '{appName}': pass a tag (e.g. v2), a digest (sha256:...) or {repo.Repository}:TAG");
        }

        var reference = text.StartsWith("sha256:", StringComparison.Ordinal) || text.StartsWith('@')
            ? Parse(appName, $"{repo.Repository}@{text.TrimStart('@')}")
            : !text.Contains('/', StringComparison.Ordinal) && !text.Contains(':', StringComparison.Ordinal) && !text.Contains('@', StringComparison.Ordinal)
                ? Parse(appName, $"{repo.Repository}:{text}")
                : Parse(appName, text);
        if (reference.Tag is null && reference.Digest is null)
        {
            reference = reference with { Tag = "latest" };
        }

        if (RepositoryRefusal(appName, app, reference) is { } refusal)
        {
            throw new PermissionDeniedException($"image '{text}' {refusal}; nothing was pulled");
        }

        if (app.ImagePolicy.DigestsOnly && reference.Digest is null)
        {
            throw new PermissionDeniedException(
                $"app '{appName}' deploys digests only (ImagePolicy:DigestsOnly): pass {reference.Repository}@sha256:..., not a tag");
        }

        return reference;
    }

    /// <summary>
    /// Why the app's image policy, as configured now, refuses <paramref name="reference"/>'s repository; null when it
    /// allows it. A rollback asks too: the policy may have narrowed since the release it returns to was deployed.
    /// </summary>
    public static string? RepositoryRefusal(string appName, AppOptions app, ImageReference reference)
    {
        var own = ImageReference.Parse(app.Image).Repository;
        return Allowed(reference.Repository, own, app.ImagePolicy.AllowedRepositories)
            ? null
            : $"is outside app '{appName}''s image policy: allowed are {string.Join(", ", [own, .. app.ImagePolicy.AllowedRepositories])}";
    }

    private static bool Allowed(string repository, string own, IEnumerable<string> allowed) =>
        repository == own || allowed.Any(entry => entry.EndsWith('/') ? repository.StartsWith(entry, StringComparison.Ordinal) : repository == entry);

    private static ImageReference Parse(string appName, string text) =>
        ImageReference.TryParse(text, out var reference, out var error)
            ? reference
            : throw new InvalidRequestException($"malformed image reference for app '{appName}': {error}");
}
