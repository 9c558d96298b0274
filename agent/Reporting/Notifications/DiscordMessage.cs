namespace Mizan.Agent.Reporting.Notifications;

/// <summary>A Discord webhook message: a line of content and one embed coloured by outcome.</summary>
/// <param name="AllowedMentions">Always empty: a summary that holds "@everyone" must not ping anyone.</param>
public sealed record DiscordMessage(string Content, IReadOnlyList<DiscordEmbed> Embeds, DiscordAllowedMentions AllowedMentions);

/// <param name="Timestamp">ISO 8601; Discord shows it in the reader's time zone.</param>
public sealed record DiscordEmbed(string Title, string Description, int Color, DateTime Timestamp, IReadOnlyList<DiscordField>? Fields, DiscordFooter Footer);

public sealed record DiscordField(string Name, string Value, bool Inline);

public sealed record DiscordFooter(string Text);

public sealed record DiscordAllowedMentions(IReadOnlyList<string> Parse)
{
    public static DiscordAllowedMentions None { get; } = new([]);
}
