using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>
/// Format Discord: the headline as content, one embed coloured by outcome with the summary and the details.
/// Limits from Discord's API: content 2000 characters, title 256, description 4096, 25 fields of 256 / 1024.
/// </summary>
public static class DiscordPayloadRenderer
{
    private const int MaxContent = 2000;
    private const int MaxTitle = 256;
    private const int MaxDescription = 4096;
    private const int MaxFields = 25;
    private const int MaxFieldName = 256;
    private const int MaxFieldValue = 1024;

    public static DiscordMessage Render(AgentEvent agentEvent, string host)
    {
        var outcome = EventPresentation.OutcomeOf(agentEvent.Kind);
        var title = $"{EventPresentation.TitleOf(agentEvent.Kind)}: {PayloadText.Subject(agentEvent.App)}";
        var fields = new List<DiscordField>();
        if (agentEvent.DeploymentId is { Length: > 0 } id)
        {
            fields.Add(new DiscordField("deployment", id, Inline: true));
        }

        fields.AddRange(PayloadText.OrderedDetails(agentEvent.Details)
            .Select(d => new DiscordField(
                PayloadText.Truncate(d.Key, MaxFieldName),
                PayloadText.Truncate(d.Value.Length == 0 ? "-" : d.Value, MaxFieldValue),
                Inline: true)));

        var embed = new DiscordEmbed(
            PayloadText.Truncate(title, MaxTitle),
            PayloadText.Truncate(agentEvent.Summary, MaxDescription),
            EventPresentation.ColourOf(outcome),
            agentEvent.At.UtcDateTime,
            fields.Count == 0 ? null : fields.Take(MaxFields).ToList(),
            new DiscordFooter($"mizan-agent on {host}"));
        return new DiscordMessage(PayloadText.Truncate(title, MaxContent), [embed], DiscordAllowedMentions.None);
    }
}
