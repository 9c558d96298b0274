using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Mizan.Agent.Runtime.Containers;

/// <summary>
/// A Docker image reference, parsed by the distribution grammar:
/// [domain[:port]/]path[:tag][@sha256:hex]. Strict on purpose: a reference ends up in Docker API calls and labels.
/// </summary>
public sealed partial record ImageReference(string? Domain, string Path, string? Tag, string? Digest)
{
    private const int MaxLength = 255;

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\\z")]
    private static partial Regex PathComponent();

    [GeneratedRegex("^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]{1,5})?\\z")]
    private static partial Regex DomainPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\\z")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^sha256:[a-f0-9]{64}\\z")]
    private static partial Regex DigestPattern();

    /// <summary>The repository with its domain, without tag or digest: what a registry and a pull name.</summary>
    public string Repository => Domain is null ? Path : $"{Domain}/{Path}";

    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw new FormatException(error);

    public static bool TryParse(string text, [NotNullWhen(true)] out ImageReference? reference, out string? error)
    {
        reference = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "the image reference is empty";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"the image reference is longer than {MaxLength} characters";
            return false;
        }

        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                error = $"'{digest}' is not a sha256 digest (sha256: followed by 64 lowercase hex digits)";
                return false;
            }
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.IndexOf(':', lastSlash + 1);
        if (colon >= 0)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"'{tag}' is not a valid tag (letters, digits, '_', '.', '-'; at most 128)";
                return false;
            }
        }

        string? domain = null;
        var firstSlash = rest.IndexOf('/', StringComparison.Ordinal);
        if (firstSlash > 0)
        {
            var first = rest[..firstSlash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                domain = first;
                rest = rest[(firstSlash + 1)..];
                if (!DomainPattern().IsMatch(domain))
                {
                    error = $"'{domain}' is not a valid registry host";
                    return false;
                }
            }
        }

        if (rest.Length == 0 || rest.Split('/').Any(component => !PathComponent().IsMatch(component)))
        {
            error = $"'{rest}' is not a valid repository path (lowercase letters, digits and separators)";
            return false;
        }

        reference = new ImageReference(domain, rest, tag, digest);
        return true;
    }

    public override string ToString()
    {
        var text = Repository;
        if (Tag is not null)
        {
            text += ":" + Tag;
        }

        if (Digest is not null)
        {
            text += "@" + Digest;
        }

        return text;
    }
}
