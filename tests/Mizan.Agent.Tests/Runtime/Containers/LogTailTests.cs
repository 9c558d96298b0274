using System.Text;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Tests.Runtime.Containers;

public class LogTailTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void From_ShortPlainText_IsKeptWithoutTrailingWhitespace() =>
        Assert.Equal("starting\n\tlistening on 8080", LogTail.From("starting\n\tlistening on 8080\n\n"));

    [Fact]
    public void From_ColoursCursorMovesAndScreenClears_AreRemoved() =>
        Assert.Equal("red bold plain", LogTail.From("\u001b[31mred\u001b[0m \u001b[1;4mbold\u001b[m \u001b[2J\u001b[H\u001b[?25lplain"));

    [Fact]
    public void From_WindowTitlesAndHyperlinks_AreRemoved() =>
        Assert.Equal(
            "title link",
            LogTail.From("\u001b]0;pwned\u0007title \u001b]8;;https://evil.example/\u001b\\link\u001b]8;;\u001b\\"));

    [Fact]
    public void From_TwoCharacterAndCharsetEscapes_AreRemoved() =>
        Assert.Equal("ab", LogTail.From("a\u001bc\u001b(B\u001b7\u001bMb"));

    [Fact]
    public void From_C0C1ControlsDelAndCarriageReturns_AreRemovedButNewlinesAndTabsStay() =>
        Assert.Equal("abcdef\ng\th", LogTail.From("a\u0000b\u0007c\u007fd\u0085e\u009b31mf\r\ng\th"));

    [Fact]
    public void From_UnterminatedStringSequence_EndsAtTheLineEnd() =>
        Assert.Equal("before\nnext line", LogTail.From("before\u001b]0;never terminated\nnext line"));

    [Fact]
    public void From_LongerThanTheCap_KeepsTheEndAndMarksTheCut()
    {
        var lines = string.Concat(Enumerable.Range(1, 10_000).Select(n => $"line {n:00000}\n"));

        var tail = LogTail.From(lines);

        Assert.StartsWith(LogTail.CutMarker + "\n", tail, StringComparison.Ordinal);
        Assert.EndsWith("line 10000", tail, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(tail[(LogTail.CutMarker.Length + 1)..]), LogTail.MaxBytes - 16, LogTail.MaxBytes);
    }

    [Theory]
    [InlineData("é")]
    [InlineData("漢")]
    [InlineData("😀")]
    public void From_MultiByteCharactersAtTheCut_AreNotSplit(string character)
    {
        var tail = LogTail.From(string.Concat(Enumerable.Repeat(character, 20_000)));

        var kept = tail[(LogTail.CutMarker.Length + 1)..];
        Assert.True(Encoding.UTF8.GetByteCount(kept) <= LogTail.MaxBytes, $"{Encoding.UTF8.GetByteCount(kept)} bytes kept");
        Assert.Equal(kept, StrictUtf8.GetString(StrictUtf8.GetBytes(kept)));
        Assert.Equal(0, kept.Length % character.Length);
    }

    [Fact]
    public void FromBytes_CutInsideACharacter_StartsAtTheNextWholeOne()
    {
        var bytes = Encoding.UTF8.GetBytes("éa\nlast");

        Assert.Equal($"{LogTail.CutMarker}\na\nlast", LogTail.FromBytes(bytes.AsSpan(1), cut: true));
    }

    [Fact]
    public void FromBytes_AColourfulAppThatPrintedHundredsOfKilobytes_IsCappedAndClean()
    {
        var output = new StringBuilder();
        for (var n = 0; output.Length < 300 * 1024; n++)
        {
            output.Append(CultureInvariant($"\u001b[32m{n}\u001b[0m \u001b]0;title {n}\u0007request served\r\n"));
        }

        output.Append("\u001b[31mfatal: out of memory\u001b[0m\n");

        var tail = LogTail.FromBytes(Encoding.UTF8.GetBytes(output.ToString()), cut: false);

        Assert.StartsWith(LogTail.CutMarker, tail, StringComparison.Ordinal);
        Assert.EndsWith("fatal: out of memory", tail, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(tail) <= LogTail.MaxBytes + LogTail.CutMarker.Length + 1, $"{tail.Length} characters");
        Assert.DoesNotContain(tail, c => char.IsControl(c) && c is not '\n' and not '\t');
        Assert.DoesNotContain("title", tail, StringComparison.Ordinal);
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
