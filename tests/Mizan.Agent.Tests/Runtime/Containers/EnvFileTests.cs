using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Tests.Runtime.Containers;

public class EnvFileTests
{
    [Fact]
    public void Parse_CommentsBlankLinesAndEqualsInValue_KeepsOnlyVariables()
    {
        var variables = EnvFile.Parse("# database\nDATABASE_URL=postgres://u:p@h/db?x=1\r\n\n  LOG = debug\n");

        Assert.Equal(2, variables.Count);
        Assert.Equal("postgres://u:p@h/db?x=1", variables["DATABASE_URL"]);
        Assert.Equal(" debug", variables["LOG"]);
    }

    [Theory]
    [InlineData("JUST_A_NAME")]
    [InlineData("=s3cr3t-value")]
    [InlineData("export DB_PASSWORD s3cr3t-value")]
    public void Parse_MalformedLine_NamesItsNumberNotItsText(string malformed)
    {
        var error = Assert.Throws<FormatException>(() => EnvFile.Parse($"# settings\nLOG=debug\n{malformed}\nPORT=80\n"));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(malformed, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }
}
