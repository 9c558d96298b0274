using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class TextTableTests
{
    [Fact]
    public void ToString_PadsColumnsAndTrimsLineEnds() =>
        Assert.Equal(
            "A    LONG HEADER\nxyz  -\n-    multi line",
            new TextTable("A", "LONG HEADER").AddRow("xyz", "").AddRow("", "multi\nline").ToString());

    [Fact]
    public void AddRow_WrongCellCount_Throws() =>
        Assert.Throws<ArgumentException>(() => new TextTable("A", "B").AddRow("only one"));
}
