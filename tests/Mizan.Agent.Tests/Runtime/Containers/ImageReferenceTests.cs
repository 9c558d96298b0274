using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Tests.Runtime.Containers;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("localhost:5000/web:v2", "localhost:5000", "web", "v2", null)]
    [InlineData("ghcr.io/org/api:sha-1a2b3c", "ghcr.io", "org/api", "sha-1a2b3c", null)]
    [InlineData("nginx", null, "nginx", null, null)]
    [InlineData("library/nginx:1.25", null, "library/nginx", "1.25", null)]
    [InlineData("127.0.0.1:5000/a/b/c", "127.0.0.1:5000", "a/b/c", null, null)]
    [InlineData(
        "ghcr.io/org/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "ghcr.io",
        "org/api",
        null,
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Parse_ValidReference_SplitsParts(string text, string? domain, string path, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(domain, reference.Domain);
        Assert.Equal(path, reference.Path);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Web:v1")]
    [InlineData("web:v1;rm -rf /")]
    [InlineData("web:$(reboot)")]
    [InlineData("../../etc/passwd")]
    [InlineData("web@sha256:short")]
    [InlineData("web:")]
    [InlineData("web//x")]
    [InlineData("bad host!/web")]
    [InlineData("web:v1\nX")]
    [InlineData("web:v1\n")]
    public void TryParse_Malformed_ReturnsFalseWithReason(string text)
    {
        var parsed = ImageReference.TryParse(text, out var reference, out var error);

        Assert.False(parsed);
        Assert.Null(reference);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryParse_LongerThanLimit_ReturnsFalse()
    {
        Assert.False(ImageReference.TryParse("web:" + new string('a', 300), out _, out var error));
        Assert.Contains("longer", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Repository_WithDomain_IncludesIt()
    {
        Assert.Equal("localhost:5000/web", ImageReference.Parse("localhost:5000/web:v1").Repository);
    }
}
