using Mizan.Agent.Access;

namespace Mizan.Agent.Tests.Access;

public class RequestFieldRulesTests
{
    public static TheoryData<string, string> Hostile => new()
    {
        { "app", "core;rm -rf /" },
        { "app", "$(reboot)" },
        { "app", "../../etc/passwd" },
        { "app", "x; } server {" },
        { "app", "web\0" },
        { "app", "wéb" },
        { "app", new string('a', 64) },
        { "slot", "blue;" },
        { "slot", "BLUE" },
        { "id", "d-1; DROP TABLE deployments" },
        { "id", "../../etc/passwd" },
        { "commit_sha", "$(reboot)" },
        { "commit_sha", "abc" },
        { "image", new string('a', 1024 * 1024) },
        { "image", "web:v1\nInjected: header" },
        { "requested_by", "ci\u001b[31mred" },
        { "requested_by", "ci\u202eevil" },
        { "requested_by", new string('x', 201) },
        { "requested_by", "nul\0byte" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Check_HostileValue_IsRefusedWithoutEchoingIt(string field, string value)
    {
        var problem = RequestFieldRules.Check(field, value);

        Assert.NotNull(problem);
        Assert.DoesNotContain(value, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app", "web-api_2")]
    [InlineData("slot", "green")]
    [InlineData("id", "d-20261127-081346-2a51ba")]
    [InlineData("commit_sha", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("image", "ghcr.io/org/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("requested_by", "github:org/repo#run-42 by octocat")]
    [InlineData("app", "")]
    public void Check_HonestValue_Passes(string field, string value)
    {
        Assert.Null(RequestFieldRules.Check(field, value));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void CheckLimit_Range_AllowsZeroToMax(int limit, bool allowed)
    {
        Assert.Equal(allowed, RequestFieldRules.CheckLimit(limit) is null);
    }

    [Fact]
    public void Text_NamedStringField_IsRead()
    {
        var request = new Mizan.Agent.V1.DeployRequest { App = "web", Image = "v2" };

        Assert.Equal("web", RequestFields.Text(request, "app"));
        Assert.Null(RequestFields.Text(request, "no_such_field"));
        Assert.Null(RequestFields.Text(new object(), "app"));
    }
}
