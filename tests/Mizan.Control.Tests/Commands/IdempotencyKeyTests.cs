using Mizan.Control.Commands;

namespace Mizan.Control.Tests.Commands;

public class IdempotencyKeyTests
{
    private static readonly Guid Fixed = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static readonly Dictionary<string, string> GitHub = new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_RUN_ID"] = "9876543210",
        ["GITHUB_RUN_ATTEMPT"] = "2",
        ["GITHUB_JOB"] = "deploy-prod",
    };

    [Fact]
    public void Resolve_Explicit_WinsOverGitHub() =>
        Assert.Equal("release-42", IdempotencyKey.Resolve(" release-42 ", name => GitHub.GetValueOrDefault(name), () => Fixed));

    [Fact]
    public void Resolve_UnderGitHubActions_UsesRunAttemptAndJob() =>
        Assert.Equal("github-9876543210-2-deploy-prod", IdempotencyKey.Resolve(null, name => GitHub.GetValueOrDefault(name), () => Fixed));

    [Fact]
    public void Resolve_Elsewhere_UsesNewGuid() =>
        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", IdempotencyKey.Resolve(null, _ => null, () => Fixed));

    [Fact]
    public void Resolve_TwoInvocations_GetDifferentKeys() =>
        Assert.NotEqual(IdempotencyKey.Resolve(null, _ => null, Guid.NewGuid), IdempotencyKey.Resolve(null, _ => null, Guid.NewGuid));

    [Theory]
    [InlineData("a\nb")]
    [InlineData("x")]
    public void Resolve_TooLongOrControlCharacters_ThrowsUsageException(string value)
    {
        var key = value == "x" ? new string('x', 129) : value;

        Assert.Throws<UsageException>(() => IdempotencyKey.Resolve(key, _ => null, () => Fixed));
    }
}
