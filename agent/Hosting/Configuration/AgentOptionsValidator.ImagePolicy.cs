using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Hosting.Configuration;

/// <summary>
/// Apps:NAME:ImagePolicy. An entry the resolver could never match (a tag, capitals, a wildcard, a URL) would silently
/// allow nothing, or seem to allow more than it does: each is refused at start, naming the entry.
/// </summary>
public static partial class AgentOptionsValidator
{
    private static void ValidateImagePolicy(List<string> errors, string appKey, ImagePolicyOptions policy)
    {
        for (var i = 0; i < policy.AllowedRepositories.Count; i++)
        {
            var entry = policy.AllowedRepositories[i];
            if (AllowedRepositoryProblem(entry) is { } problem)
            {
                errors.Add($"{appKey}:ImagePolicy:AllowedRepositories:{i}: '{entry}' {problem}");
            }
        }
    }

    /// <summary>
    /// Why an entry is not a repository as the resolver compares them ([host[:port]/]path, lowercase, no tag or digest),
    /// or a prefix of such ending in '/'; null when it is one.
    /// </summary>
    private static string? AllowedRepositoryProblem(string entry)
    {
        const string Form = "write a repository such as ghcr.io/org/api, or a prefix ending in '/' such as ghcr.io/org/";
        if (entry.Trim().Length == 0)
        {
            return $"is empty; {Form}";
        }

        if (entry.Contains('*', StringComparison.Ordinal) || entry.Contains('?', StringComparison.Ordinal))
        {
            return "has a wildcard, which is not supported; to allow every repository under a prefix, end the entry with '/' (e.g. ghcr.io/org/)";
        }

        if (entry.Contains("://", StringComparison.Ordinal))
        {
            return $"is a URL; leave out the scheme: {Form}";
        }

        if (!string.Equals(entry, entry.ToLowerInvariant(), StringComparison.Ordinal))
        {
            return $"has capital letters; image references are lowercase, so it would never match: write '{entry.ToLowerInvariant()}'";
        }

        var prefix = entry.EndsWith('/');
        var repository = prefix ? entry[..^1] : entry;
        var hostOnly = !repository.Contains('/', StringComparison.Ordinal)
            && (repository.Contains('.', StringComparison.Ordinal) || repository.Contains(':', StringComparison.Ordinal) || repository == "localhost");
        if (hostOnly && !prefix)
        {
            return $"names a registry host, not a repository; to allow every repository on it, write '{entry}/'";
        }

        // A prefix is checked as the repositories it admits would be: with one more path component.
        if (!ImageReference.TryParse(prefix ? repository + "/x" : repository, out var reference, out var error))
        {
            return $"is not a well-formed repository ({error}); {Form}";
        }

        return reference.Tag is not null || reference.Digest is not null
            ? $"carries a tag or digest; the policy names repositories only: write '{reference.Repository}'"
            : null;
    }
}
