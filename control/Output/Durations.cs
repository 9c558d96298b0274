using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Mizan.Agent.V1;

namespace Mizan.Control.Output;

public static class Durations
{
    public static TimeSpan? Of(Deployment deployment) => Between(deployment.StartedAt, deployment.EndedAt);

    public static TimeSpan? Between(Timestamp? start, Timestamp? end)
    {
        if (start is null || end is null)
        {
            return null;
        }

        var span = end.ToDateTimeOffset() - start.ToDateTimeOffset();
        return span < TimeSpan.Zero ? null : span;
    }

    /// <summary>The agent's own measure of a step, from the duration_ms detail.</summary>
    public static TimeSpan? FromDetails(DeploymentEvent deploymentEvent) =>
        deploymentEvent.Details.TryGetValue("duration_ms", out var text)
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
            ? TimeSpan.FromMilliseconds(milliseconds)
            : null;

    public static string Format(TimeSpan? duration)
    {
        if (duration is not { } span)
        {
            return "-";
        }

        if (span < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0}ms");
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0}s");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds:00}s");
    }
}
