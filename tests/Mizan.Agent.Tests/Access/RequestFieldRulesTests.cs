using System.Globalization;
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
    [InlineData(0x0000)]
    [InlineData(0x0009)]
    [InlineData(0x000A)]
    [InlineData(0x001B)]
    [InlineData(0x007F)]
    [InlineData(0x0085)]
    [InlineData(0x009B)]
    [InlineData(0x00AD)]
    [InlineData(0x061C)]
    [InlineData(0x180E)]
    [InlineData(0x200B)]
    [InlineData(0x200D)]
    [InlineData(0x200E)]
    [InlineData(0x2028)]
    [InlineData(0x2029)]
    [InlineData(0x202E)]
    [InlineData(0x2060)]
    [InlineData(0x2066)]
    [InlineData(0x2069)]
    [InlineData(0xD800)]
    [InlineData(0xDFFF)]
    [InlineData(0xFEFF)]
    [InlineData(0xFFF9)]
    [InlineData(0xFFFD)]
    public void Check_RefusedCharacterInAnyField_IsNamedByItsCodePoint(int codePoint)
    {
        var character = ((char)codePoint).ToString();
        foreach (var field in (string[])["app", "image", "requested_by", "idempotency_key", "commit_sha", "id", "slot"])
        {
            var problem = RequestFieldRules.Check(field, "web" + character);

            Assert.NotNull(problem);
            Assert.Contains($"U+{codePoint:X4}", problem, StringComparison.Ordinal);
            Assert.DoesNotContain("web", problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_EveryFormatCharacterOfTheBasicPlane_IsRefused()
    {
        var format = Enumerable.Range(0, 0x10000)
            .Select(codePoint => (char)codePoint)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            .ToList();

        Assert.True(format.Count > 40, $"only {format.Count} format characters found");
        Assert.All(format, c => Assert.Contains($"U+{(int)c:X4}", RequestFieldRules.Check("requested_by", $"ci{c}run") ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_PrintableTextOfManyScripts_Passes()
    {
        var printableAscii = new string(Enumerable.Range(0x20, 0x7F - 0x20).Select(codePoint => (char)codePoint).ToArray());
        var latin1Letters = new string(Enumerable.Range(0xC0, 0x100 - 0xC0).Select(codePoint => (char)codePoint).ToArray());

        Assert.Null(RequestFieldRules.Check("requested_by", printableAscii));
        Assert.Null(RequestFieldRules.Check("requested_by", latin1Letters));
        Assert.Null(RequestFieldRules.Check("requested_by", "ci d\u00e9ploie \u6f22\u5b57 \u0645\u0631\u062d\u0628\u0627 \u00a0no-break"));
    }

    [Fact]
    public void Parse_InvalidUtf8OnTheWire_IsRefusedBeforeAnyRuleSeesIt()
    {
        // requested_by is field 5 (wire type 2): tag 0x2A, the length, then bytes that are not UTF-8. Protobuf refuses
        // the whole message, so the agent's handlers never run; a U+FFFD reaches the rules only from a client that
        // decoded its own input with replacement, and is refused there.
        byte[] wire = [0x2A, 0x05, (byte)'c', (byte)'i', 0xC3, 0x28, 0xFF];

        Assert.Throws<Google.Protobuf.InvalidProtocolBufferException>(() => Mizan.Agent.V1.DeployRequest.Parser.ParseFrom(wire));
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
