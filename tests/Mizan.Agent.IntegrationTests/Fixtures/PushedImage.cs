namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>A test app image as it sits in a test registry.</summary>
public sealed record PushedImage(AppVariant Variant, string Repository, string Tag, string Digest)
{
    /// <summary>"127.0.0.1:PORT/repo:tag".</summary>
    public string Reference => $"{Repository}:{Tag}";

    /// <summary>"127.0.0.1:PORT/repo@sha256:...".</summary>
    public string DigestReference => $"{Repository}@{Digest}";
}
