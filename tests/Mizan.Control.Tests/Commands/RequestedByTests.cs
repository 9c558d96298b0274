using Mizan.Control.Commands;

namespace Mizan.Control.Tests.Commands;

public class RequestedByTests
{
    private static readonly Dictionary<string, string> GitHub = new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_REPOSITORY"] = "acme/web",
        ["GITHUB_RUN_ID"] = "42",
        ["GITHUB_ACTOR"] = "octocat",
        ["USER"] = "runner",
    };

    private static Func<string, string?> Env(Dictionary<string, string> values) =>
        name => values.TryGetValue(name, out var value) ? value : null;

    [Fact]
    public void Describe_ExplicitValue_Wins() =>
        Assert.Equal("release-bot", RequestedBy.Describe("release-bot", Env(GitHub), "box", "fallback"));

    [Fact]
    public void Describe_UnderGitHubActions_DescribesRun() =>
        Assert.Equal("github:acme/web#42 by octocat", RequestedBy.Describe(null, Env(GitHub), "box", "fallback"));

    [Fact]
    public void Describe_GitHubActionsNotTrue_UsesUserAtHost()
    {
        var values = new Dictionary<string, string>(GitHub) { ["GITHUB_ACTIONS"] = "false" };

        Assert.Equal("runner@box", RequestedBy.Describe(null, Env(values), "box", "fallback"));
    }

    [Fact]
    public void Describe_Interactive_UsesUserAtHost() =>
        Assert.Equal("alice@box", RequestedBy.Describe(" ", Env(new() { ["USER"] = "alice" }), "box", "fallback"));

    [Fact]
    public void Describe_NoUserVariable_UsesFallbackUserName() =>
        Assert.Equal("fallback@box", RequestedBy.Describe(null, Env([]), "box", "fallback"));
}
