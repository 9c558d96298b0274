using Mizan.Agent.Containers;
using Mizan.Agent.Errors;

namespace Mizan.Agent.Tests.Containers;

public class AppImageResolverTests
{
    private const string Repository = "localhost:5000/web";
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("v2", "localhost:5000/web:v2")]
    [InlineData(Digest, "localhost:5000/web@" + Digest)]
    [InlineData("@" + Digest, "localhost:5000/web@" + Digest)]
    [InlineData("localhost:5000/web:v3", "localhost:5000/web:v3")]
    [InlineData("localhost:5000/web", "localhost:5000/web:latest")]
    public void Resolve_WithinRepository_ReturnsFullReference(string requested, string expected)
    {
        Assert.Equal(expected, AppImageResolver.Resolve("web", Repository, requested).ToString());
    }

    [Theory]
    [InlineData("localhost:5000/other:v1", "not in app 'web''s repository")]
    [InlineData("evil.example.com/web:v1", "not in app 'web''s repository")]
    [InlineData("", "no image given")]
    [InlineData("v1;reboot", "malformed image reference")]
    public void Resolve_OutsideRepositoryOrMalformed_ThrowsInvalidRequest(string requested, string expectedMessage)
    {
        var error = Assert.Throws<InvalidRequestException>(() => AppImageResolver.Resolve("web", Repository, requested));
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }
}
