using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;

namespace Mizan.Agent.Tests.Deployments;

public class AppImageResolverTests
{
    private const string Digest = ImagePolicyApps.Digest;

    private static AppOptions App(bool digestsOnly = false, params string[] allowed) => ImagePolicyApps.Web(digestsOnly, allowed);

    [Theory]
    [InlineData("v2", "localhost:5000/web:v2")]
    [InlineData(Digest, "localhost:5000/web@" + Digest)]
    [InlineData("@" + Digest, "localhost:5000/web@" + Digest)]
    [InlineData("localhost:5000/web:v3", "localhost:5000/web:v3")]
    [InlineData("localhost:5000/web", "localhost:5000/web:latest")]
    public void Resolve_WithinRepository_ReturnsFullReference(string requested, string expected)
    {
        Assert.Equal(expected, AppImageResolver.Resolve("web", App(), requested).ToString());
    }

    [Theory]
    [InlineData("", "no image given")]
    [InlineData("v1;reboot", "malformed image reference")]
    public void Resolve_Malformed_ThrowsInvalidRequest(string requested, string expectedMessage)
    {
        var error = Assert.Throws<InvalidRequestException>(() => AppImageResolver.Resolve("web", App(), requested));
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:5000/other:v1")]
    [InlineData("evil.example.com/web:v1")]
    [InlineData("ghcr.io/orgevil/web:v1")]
    public void Resolve_OutsidePolicy_ThrowsPermissionDenied(string requested)
    {
        var error = Assert.Throws<PermissionDeniedException>(() => AppImageResolver.Resolve("web", App(false, "ghcr.io/org/"), requested));
        Assert.Contains("image policy", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ghcr.io/org/web:v1", "ghcr.io/org/")]
    [InlineData("ghcr.io/org/team/web:v1", "ghcr.io/org/")]
    [InlineData("mirror.local/web:v1", "mirror.local/web")]
    public void Resolve_AllowedByPolicy_Passes(string requested, string allowed)
    {
        Assert.Equal(requested, AppImageResolver.Resolve("web", App(false, allowed), requested).ToString());
    }

    [Fact]
    public void Resolve_TagWhenDigestsOnly_ThrowsPermissionDenied()
    {
        var error = Assert.Throws<PermissionDeniedException>(() => AppImageResolver.Resolve("web", App(digestsOnly: true), "v2"));
        Assert.Contains("digests only", error.Message, StringComparison.Ordinal);
        Assert.NotNull(AppImageResolver.Resolve("web", App(digestsOnly: true), Digest).Digest);
    }
}
