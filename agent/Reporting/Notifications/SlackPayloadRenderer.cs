using System.Globalization;
using System.Text;
using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>
/// Format Slack: a headline section, the details as fields and a context line with host, deployment and time.
/// Limits from Slack's Block Kit: section text 3000 characters, a field 2000, at most 10 fields.
/// </summary>
public static class SlackPayloadRenderer
{
    private const int MaxSectionText = 3000;
    private const int MaxFieldText = 2000;
    private const int MaxFields = 10;

    public static SlackMessage Render(AgentEvent agentEvent, string host)
    {
        var outcome = EventPresentation.OutcomeOf(agentEvent.Kind);
        var title = $"{EventPresentation.TitleOf(agentEvent.Kind)}: {PayloadText.Subject(agentEvent.App)}";
        var headline = $"{EventPresentation.EmojiOf(outcome)} *{Escape(title)}*\n{Escape(agentEvent.Summary)}";

        var blocks = new List<SlackBlock> { new("section", Text: SlackText.Markdown(PayloadText.Truncate(headline, MaxSectionText))) };
        var fields = PayloadText.OrderedDetails(agentEvent.Details)
            .Take(MaxFields)
            .Select(d => SlackText.Markdown(PayloadText.Truncate($"*{Escape(d.Key)}*\n{Escape(d.Value)}", MaxFieldText)))
            .ToList();
        if (fields.Count > 0)
        {
            blocks.Add(new SlackBlock("section", Fields: fields));
        }

        blocks.Add(new SlackBlock("context", Elements: [SlackText.Markdown(Escape(ContextLine(agentEvent, host)))]));
        var text = PayloadText.Truncate($"{EventPresentation.EmojiOf(outcome)} {Escape(title)}: {Escape(agentEvent.Summary)}", MaxSectionText);
        return new SlackMessage(text, blocks);
    }

    /// <summary>Slack reads &amp;, &lt; and &gt; as markup (links, mentions); everything from an event is escaped.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0)
        {
            return text;
        }

        return new StringBuilder(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").ToString();
    }

    private static string ContextLine(AgentEvent agentEvent, string host)
    {
        var at = agentEvent.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return agentEvent.DeploymentId is { Length: > 0 } id
            ? $"mizan-agent on {host} · deployment {id} · {at}"
            : $"mizan-agent on {host} · {at}";
    }
}
