using System.Globalization;
using System.Text;
using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>Text for the responses of the primitive RPCs (pull, start, check, switch).</summary>
public static class PrimitiveTextRenderer
{
    public static string Format(PullResponse response) =>
        Fields(("image", response.Image), ("digest", response.Digest));

    public static string Format(StartSlotResponse response) =>
        Fields(("slot", response.Slot), ("container", response.ContainerId), ("image", response.Image));

    public static string Format(SwitchResponse response) =>
        Fields(("live slot", response.LiveSlot), ("previous slot", response.PreviousSlot));

    public static string Format(SetWeightResponse response) =>
        Fields(("traffic", TrafficText.Of(response.Traffic)), ("backup", response.Traffic.BackupSlot.Length == 0 ? "none" : response.Traffic.BackupSlot));

    public static string Format(CheckSlotResponse response)
    {
        var text = Fields(
            ("slot", response.Slot),
            ("healthy", response.Healthy ? "yes" : "no"),
            ("status code", response.LastStatusCode == 0 ? "" : response.LastStatusCode.ToString(CultureInfo.InvariantCulture)),
            ("message", response.Message));
        if (response.LogTail.Length == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text).Append("\nlog tail:");
        foreach (var line in response.LogTail.TrimEnd('\n', '\r').Split('\n'))
        {
            builder.Append("\n  ").Append(line.TrimEnd('\r'));
        }

        return builder.ToString();
    }

    private static string Fields(params (string Label, string Value)[] fields)
    {
        var width = fields.Max(field => field.Label.Length) + 1;
        return string.Join(
            '\n',
            fields.Select(field => $"{(field.Label + ":").PadRight(width)} {(field.Value.Length == 0 ? "-" : field.Value)}"));
    }
}
