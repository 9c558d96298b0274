using Mizan.Agent.Errors;

namespace Mizan.Agent.Containers;

/// <summary>Turns what a caller asked for ("v2", "sha256:…", or a full reference) into a reference inside the app's repository.</summary>
public static class AppImageResolver
{
    public static ImageReference Resolve(string appName, string repository, string requested)
    {
        var repo = ImageReference.Parse(repository);
        var text = requested.Trim();
        if (text.Length == 0)
        {
            throw new InvalidRequestException($"no image given for app '{appName}': pass a tag (e.g. v2), a digest (sha256:...) or {repo.Repository}:TAG");
        }

        if (text.StartsWith("sha256:", StringComparison.Ordinal) || text.StartsWith('@'))
        {
            return Parse(appName, $"{repo.Repository}@{text.TrimStart('@')}");
        }

        if (!text.Contains('/', StringComparison.Ordinal) && !text.Contains(':', StringComparison.Ordinal) && !text.Contains('@', StringComparison.Ordinal))
        {
            return Parse(appName, $"{repo.Repository}:{text}");
        }

        var reference = Parse(appName, text);
        if (reference.Tag is null && reference.Digest is null)
        {
            reference = reference with { Tag = "latest" };
        }

        if (!string.Equals(reference.Repository, repo.Repository, StringComparison.Ordinal))
        {
            throw new InvalidRequestException($"image '{text}' is not in app '{appName}''s repository {repo.Repository}; the agent only deploys images of the repository its configuration declares");
        }

        return reference;
    }

    private static ImageReference Parse(string appName, string text) =>
        ImageReference.TryParse(text, out var reference, out var error)
            ? reference
            : throw new InvalidRequestException($"malformed image reference for app '{appName}': {error}");
}
