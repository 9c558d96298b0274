using System.Globalization;
using System.Text;
using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>`mizanctl metrics` as text: one row per DORA figure, then what each one means.</summary>
public sealed class MetricsTableRenderer(DeploymentTextRenderer deploymentRenderer)
{
    public string Format(GetMetricsResponse response)
    {
        var builder = new StringBuilder();
        var scope = response.App.Length == 0 ? "all apps" : response.App;
        builder.Append(
            CultureInfo.InvariantCulture,
            $"DORA metrics for {scope}, {deploymentRenderer.FormatDateTime(response.From)} to {deploymentRenderer.FormatDateTime(response.To)}\n\n");

        var table = new TextTable("METRIC", "VALUE", "SAMPLE", "LEVEL");
        foreach (var metric in response.Metrics)
        {
            table.AddRow(metric.Title, Value(metric), metric.SampleSize.ToString(CultureInfo.InvariantCulture), Level(metric.Level));
        }

        builder.Append(table).Append("\n\n");
        foreach (var metric in response.Metrics)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{metric.Title}: {metric.Definition}\n");
        }

        return builder.ToString().TrimEnd('\n');
    }

    public static string Value(Metric metric)
    {
        if (!metric.HasValue)
        {
            return "-";
        }

        return metric.Unit switch
        {
            "per_day" => metric.Value >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{metric.Value:0.##}/day")
                : string.Create(CultureInfo.InvariantCulture, $"{metric.Value * 7:0.##}/week"),
            "seconds" => Span(TimeSpan.FromSeconds(metric.Value)),
            "ratio" => string.Create(CultureInfo.InvariantCulture, $"{metric.Value * 100:0.#}%"),
            _ => metric.Value.ToString("0.###", CultureInfo.InvariantCulture) + " " + metric.Unit,
        };
    }

    public static string Level(PerformanceLevel level) => level switch
    {
        PerformanceLevel.Elite => "elite",
        PerformanceLevel.High => "high",
        PerformanceLevel.Medium => "medium",
        PerformanceLevel.Low => "low",
        _ => "no data",
    };

    // Lead and recovery times range from seconds to months: two units are enough to read them.
    private static string Span(TimeSpan span) =>
        span.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d{span.Hours:00}h")
        : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds:00}s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0}s");
}
