namespace Mizan.Bench;

/// <summary>Min / median / 95th percentile / max of a set of durations in milliseconds; empty when nothing was measured.</summary>
public sealed record Summary(int Count, double Min, double Median, double P95, double Max)
{
    public static Summary Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN);

    public static Summary Of(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        // Nearest rank: the smallest value that at least 95 % of the values do not exceed.
        var p95 = sorted[(int)Math.Ceiling(sorted.Length * 0.95) - 1];
        return new Summary(sorted.Length, sorted[0], median, p95, sorted[^1]);
    }
}
