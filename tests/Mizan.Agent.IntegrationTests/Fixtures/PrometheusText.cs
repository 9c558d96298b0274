using System.Globalization;
using System.Text.RegularExpressions;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// Just enough of the Prometheus text exposition format (0.0.4) to check what /metrics serves: one sample per
/// "name{label="value",...} number" line, with # TYPE lines kept so a test can check a family's type.
/// </summary>
public sealed partial class PrometheusText
{
    private PrometheusText(string text, IReadOnlyList<Sample> samples, IReadOnlyDictionary<string, string> types)
    {
        Text = text;
        Samples = samples;
        Types = types;
    }

    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Family name → counter, gauge, histogram, ...</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"not a Prometheus sample line: {line}");
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups[1].Value] = label.Groups[2].Value
                    .Replace("\\\"", "\"", StringComparison.Ordinal)
                    .Replace("\\n", "\n", StringComparison.Ordinal)
                    .Replace("\\\\", "\\", StringComparison.Ordinal);
            }

            samples.Add(new Sample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }

        return new PrometheusText(text, samples, types);
    }

    /// <summary>The samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public IReadOnlyList<Sample> Find(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).ToList();

    /// <summary>The value of the one sample of <paramref name="name"/> with these labels; null when there is none.</summary>
    public double? Value(string name, params (string Label, string Value)[] labels)
    {
        var found = Find(name, labels);
        return found.Count switch
        {
            0 => null,
            1 => found[0].Value,
            _ => throw new InvalidOperationException($"{found.Count} samples of {name} match; add labels"),
        };
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>.*)\\})?\\s+(?<value>\\S+)(\\s+-?[0-9]+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
