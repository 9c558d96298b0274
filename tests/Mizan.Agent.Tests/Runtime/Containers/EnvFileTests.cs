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

    [Fact]
    public void Parse_LineWithoutEquals_Throws()
    {
        var error = Assert.Throws<FormatException>(() => EnvFile.Parse("JUST_A_NAME"));
        Assert.Contains("JUST_A_NAME", error.Message, StringComparison.Ordinal);
    }
}
