using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>Human-readable lines for deployment events and the final result.</summary>
public sealed class DeploymentTextRenderer(TimeZoneInfo timeZone)
{
    private const string DetailIndent = "      ";

    public string FormatEvent(DeploymentEvent deploymentEvent)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{FormatTime(deploymentEvent.At)}  {DisplayNames.Of(deploymentEvent.Step),-11}  " +
                $"{DisplayNames.Of(deploymentEvent.Status),-9}  {deploymentEvent.Message}")
            .TrimEnd();

        if (deploymentEvent.Status != StepStatus.Failed || deploymentEvent.Details.Count == 0)
        {
            return line;
        }

        var builder = new StringBuilder(line);
        // Single-line facts first so the (long) log tail ends the block.
        foreach (var (key, value) in deploymentEvent.Details
                     .OrderBy(detail => IsMultiLine(detail.Value))
                     .ThenBy(detail => detail.Key, StringComparer.Ordinal))
        {
            builder.Append('\n');
            if (IsMultiLine(value))
            {
                builder.Append(DetailIndent).Append(key).Append(':');
                foreach (var valueLine in SplitLines(value))
                {
                    builder.Append('\n').Append(DetailIndent).Append("  ").Append(valueLine);
                }
            }
            else
            {
                builder.Append(DetailIndent).Append(key).Append(": ").Append(value);
            }
        }

        return builder.ToString();
    }

    public static string FormatResult(Deployment deployment)
    {
        var rows = new List<(string Label, string Value)>
        {
            ("state", DisplayNames.Of(deployment.State)),
            ("deployment", deployment.Id),
            ("app", deployment.App),
            ("live slot", LiveSlot(deployment)),
            ("image", deployment.Image),
            ("digest", deployment.Digest),
            ("duration", Durations.Format(Durations.Of(deployment))),
        };
        if (deployment.Message.Length > 0)
        {
            rows.Add(("message", deployment.Message));
        }

        var builder = new StringBuilder().Append(Headline(deployment));
        var width = rows.Max(row => row.Label.Length) + 1;
        foreach (var (label, value) in rows)
        {
            builder.Append("\n  ").Append((label + ":").PadRight(width)).Append(' ').Append(value.Length == 0 ? "-" : value);
        }

        return builder.ToString();
    }

    public string FormatTime(Timestamp? timestamp) =>
        timestamp is null
            ? "--:--:--.---"
            : TimeZoneInfo.ConvertTime(timestamp.ToDateTimeOffset(), timeZone).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public string FormatDateTime(Timestamp? timestamp) =>
        timestamp is null
            ? "-"
            : TimeZoneInfo.ConvertTime(timestamp.ToDateTimeOffset(), timeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The slot serving traffic once the deployment ended: the target only if it succeeded.</summary>
    public static string LiveSlot(Deployment deployment) =>
        deployment.State == DeploymentState.Succeeded ? deployment.ToSlot : deployment.FromSlot;

    public static string Headline(Deployment deployment)
    {
        var what = deployment.Kind == DeploymentKind.Rollback ? "Rollback" : "Deployment";
        return deployment.State switch
        {
            DeploymentState.Succeeded => $"{what} succeeded.",
            DeploymentState.Failed => $"{what} FAILED before the switch: live traffic was not touched.",
            DeploymentState.RolledBack => $"{what} ROLLED BACK: traffic was switched back to {SlotOrPrevious(deployment.FromSlot)}.",
            DeploymentState.Interrupted => $"{what} INTERRUPTED: the agent stopped while it ran; see the message for the state it left.",
            DeploymentState.Running => $"{what} is still running.",
            _ => $"{what} ended in an unknown state.",
        };
    }

    private static string SlotOrPrevious(string slot) => slot.Length == 0 ? "the previous slot" : $"slot {slot}";

    private static bool IsMultiLine(string value) => value.Contains('\n', StringComparison.Ordinal);

    private static IEnumerable<string> SplitLines(string value) =>
        value.TrimEnd('\n', '\r').Split('\n').Select(line => line.TrimEnd('\r'));
}
