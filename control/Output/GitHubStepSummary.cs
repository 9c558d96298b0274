using System.Text;
using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>The Markdown a deploy, rollback or watch appends to the GitHub Actions step summary.</summary>
public static class GitHubStepSummary
{
    public static string Build(string title, IReadOnlyList<DeploymentEvent> events, Deployment? result, string? detachedReason)
    {
        var builder = new StringBuilder();
        builder.Append("### ").Append(EscapeCell(title)).Append("\n\n");
        builder.Append("| Step | Status | Duration | Message |\n");
        builder.Append("| --- | --- | --- | --- |\n");
        foreach (var row in StepRows(events))
        {
            builder.Append("| ").Append(row.Step)
                .Append(" | ").Append(row.Status)
                .Append(" | ").Append(row.Duration)
                .Append(" | ").Append(EscapeCell(row.Message))
                .Append(" |\n");
        }

        builder.Append('\n');
        if (result is not null)
        {
            AppendResult(builder, result);
        }
        else
        {
            var id = events.Select(e => e.DeploymentId).FirstOrDefault(id => id.Length > 0);
            builder.Append("**Result: unknown** — ").Append(EscapeCell(detachedReason ?? "the stream ended before the result")).Append('.');
            if (id is not null)
            {
                builder.Append(" The deployment continues on the agent: `mizanctl watch ").Append(id).Append('`');
            }

            builder.Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>One row per step, in the order the steps started: its latest status and message.</summary>
    public static IReadOnlyList<(string Step, string Status, string Duration, string Message)> StepRows(IReadOnlyList<DeploymentEvent> events) =>
        events
            .Where(e => e.Step != Step.Done && e.Step != Step.Unspecified)
            .GroupBy(e => e.Step)
            .Select(group =>
            {
                var first = group.First();
                var last = group.Last();
                var duration = Durations.FromDetails(last)
                    ?? (last.Status != StepStatus.Started && !ReferenceEquals(first, last) ? Durations.Between(first.At, last.At) : null);
                return (DisplayNames.Of(group.Key), DisplayNames.Of(last.Status), Durations.Format(duration), last.Message);
            })
            .ToList();

    private static void AppendResult(StringBuilder builder, Deployment result)
    {
        builder.Append("**Result: ").Append(DisplayNames.Of(result.State)).Append("** — ")
            .Append(EscapeCell(DeploymentTextRenderer.Headline(result))).Append("\n\n");
        builder.Append("| Deployment | App | Live slot | Image | Digest | Duration |\n");
        builder.Append("| --- | --- | --- | --- | --- | --- |\n");
        builder.Append("| `").Append(result.Id).Append("` | ")
            .Append(EscapeCell(result.App)).Append(" | ")
            .Append(Dash(DeploymentTextRenderer.LiveSlot(result))).Append(" | ")
            .Append(Code(result.Image)).Append(" | ")
            .Append(Code(result.Digest)).Append(" | ")
            .Append(Durations.Format(Durations.Of(result))).Append(" |\n");
        if (result.Message.Length > 0)
        {
            builder.Append('\n').Append(EscapeCell(result.Message)).Append('\n');
        }
    }

    private static string Code(string value) => value.Length == 0 ? "-" : $"`{value.Replace("`", "", StringComparison.Ordinal)}`";

    private static string Dash(string value) => value.Length == 0 ? "-" : EscapeCell(value);

    /// <summary>Keeps agent text from breaking the table: pipes escaped, line breaks as &lt;br&gt;.</summary>
    public static string EscapeCell(string value) =>
        value.Replace("|", "\\|", StringComparison.Ordinal)
            .ReplaceLineEndings("<br>");
}
