using System.Text;

namespace Mizan.Bench;

/// <summary>A plain text table: a header row and left-aligned first column, right-aligned numbers.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public TextTable Add(params string[] cells)
    {
        rows.Add(cells);
        return this;
    }

    public TextTable AddSeparator() => Add();

    public override string ToString()
    {
        var widths = headers.Select((header, column) => Math.Max(header.Length, rows.Max(row => column < row.Length ? row[column].Length : 0))).ToArray();
        var text = new StringBuilder();
        AppendRow(text, headers, widths);
        AppendRow(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in rows)
        {
            AppendRow(text, row.Length == 0 ? widths.Select(_ => "").ToArray() : row, widths);
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        var line = new StringBuilder("  ");
        for (var column = 0; column < widths.Length; column++)
        {
            var cell = column < cells.Length ? cells[column] : "";
            line.Append(column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]));
            line.Append(column == widths.Length - 1 ? "" : "  ");
        }

        text.AppendLine(line.ToString().TrimEnd());
    }

    public static string Ms(double milliseconds) =>
        double.IsNaN(milliseconds) ? "-" : milliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
}
