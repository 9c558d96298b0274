using System.Globalization;

namespace Mizan.Bench.Modes;

/// <summary>A container's timestamps as the engine recorded them (wall clock, the same host clock as the bench's).</summary>
public sealed record DockerTimes(DateTimeOffset Created, DateTimeOffset StartedAt, DateTimeOffset FinishedAt)
{
    public static async Task<DockerTimes> InspectAsync(string container, CancellationToken cancellationToken)
    {
        var result = (await ModesRun.DockerAsync(
            ["container", "inspect", "--format", "{{.Created}}|{{.State.StartedAt}}|{{.State.FinishedAt}}", container],
            cancellationToken)).EnsureSuccess();
        var parts = result.StandardOutput.Trim().Split('|');
        return new DockerTimes(Parse(parts[0]), Parse(parts[1]), Parse(parts[2]));
    }

    /// <summary>RFC 3339 with up to nine fractional digits ("2025-01-02T03:04:05.123456789Z"); .NET reads seven.</summary>
    public static DateTimeOffset Parse(string text)
    {
        var value = text.Trim();
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < value.Length && char.IsAsciiDigit(value[end]))
            {
                end++;
            }

            var fraction = value[(dot + 1)..end];
            value = value[..(dot + 1)] + (fraction.Length > 7 ? fraction[..7] : fraction) + value[end..];
        }

        return DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
