using System.Text;
using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>`mizanctl health` as text: one line per check with the age of its latest result, then the open incidents.</summary>
public sealed class HealthTableRenderer(DeploymentTextRenderer deploymentRenderer)
{
    public string Format(GetHealthResponse response)
    {
        var text = new StringBuilder();
        if (response.Checks.Count == 0)
        {
            text.Append("No check has run yet: the first round runs once the agent has started (Checks:Interval).");
        }
        else
        {
            // Ages are measured on the agent's clock (response.at), so a skewed client clock does not distort them.
            var now = response.At?.ToDateTimeOffset();
            var table = new TextTable("CHECK", "STATUS", "AGE", "FOR", "MESSAGE");
            foreach (var check in response.Checks)
            {
                var status = check.Status == CheckStatus.Failing && check.ConsecutiveFailures > 1
                    ? $"{StatusName(check.Status)} x{check.ConsecutiveFailures}"
                    : StatusName(check.Status);
                table.AddRow(check.Name, status, Age(now, check.At), Age(now, check.StatusSince), check.Message);
            }

            text.Append(table);
        }

        if (response.OpenIncidents.Count > 0)
        {
            var incidents = new TextTable("INCIDENT", "APP", "OPENED", "OPEN FOR", "REASON");
            foreach (var incident in response.OpenIncidents)
            {
                incidents.AddRow(
                    incident.Id,
                    incident.App,
                    deploymentRenderer.FormatDateTime(incident.OpenedAt),
                    Age(response.At?.ToDateTimeOffset(), incident.OpenedAt),
                    incident.Reason);
            }

            text.Append("\n\nOpen incidents:\n").Append(incidents);
        }

        var failing = response.Checks.Count(check => check.Status == CheckStatus.Failing);
        var warnings = response.Checks.Count(check => check.Status == CheckStatus.Warning);
        text.Append("\n\n").Append(failing == 0 && response.OpenIncidents.Count == 0
            ? warnings == 0 ? "All checks pass." : $"All checks pass; {warnings} warning(s)."
            : $"{failing} check(s) failing, {warnings} warning(s), {response.OpenIncidents.Count} open incident(s).");
        return text.ToString();
    }

    /// <summary>Failing when a check fails or an incident is open; a warning alone is not a failure.</summary>
    public static bool IsFailing(GetHealthResponse response) =>
        response.OpenIncidents.Count > 0 || response.Checks.Any(check => check.Status == CheckStatus.Failing);

    public static string StatusName(CheckStatus status) => status switch
    {
        CheckStatus.Ok => "ok",
        CheckStatus.Warning => "WARNING",
        CheckStatus.Failing => "FAILING",
        _ => "unknown",
    };

    private static string Age(DateTimeOffset? now, Google.Protobuf.WellKnownTypes.Timestamp? at)
    {
        if (now is not { } reference || at is null)
        {
            return "-";
        }

        var age = reference - at.ToDateTimeOffset();
        return Durations.Format(age < TimeSpan.Zero ? TimeSpan.Zero : age);
    }
}
