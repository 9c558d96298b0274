using System.Text;

namespace Mizan.Control.Output;

/// <summary>Left-aligned columns separated by two spaces, header first.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public TextTable AddRow(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        rows.Add(cells.Select(cell => cell.Length == 0 ? "-" : OneLine(cell)).ToArray());
        return this;
    }

    public override string ToString()
    {
        var widths = headers
            .Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max())
            .ToArray();
        var builder = new StringBuilder();
        AppendLine(builder, headers, widths);
        foreach (var row in rows)
        {
            builder.Append('\n');
            AppendLine(builder, row, widths);
        }

        return builder.ToString();
    }

    private static void AppendLine(StringBuilder builder, string[] cells, int[] widths)
    {
        var start = builder.Length;
        for (var column = 0; column < cells.Length; column++)
        {
            builder.Append(cells[column].PadRight(widths[column])).Append("  ");
        }

        var end = builder.Length;
        while (end > start && builder[end - 1] == ' ')
        {
            end--;
        }

        builder.Length = end;
    }

    private static string OneLine(string cell) => cell.ReplaceLineEndings(" ");
}
