namespace Mizan.Agent.Reporting.Notifications;

/// <summary>A Slack incoming-webhook message: <see cref="Text"/> is what notifications show, the blocks what the channel shows.</summary>
public sealed record SlackMessage(string Text, IReadOnlyList<SlackBlock> Blocks);

/// <summary>A "section" (text or fields) or a "context" (elements) block; the members a type does not use stay null.</summary>
public sealed record SlackBlock(string Type, SlackText? Text = null, IReadOnlyList<SlackText>? Fields = null, IReadOnlyList<SlackText>? Elements = null);

public sealed record SlackText(string Type, string Text)
{
    public static SlackText Markdown(string text) => new("mrkdwn", text);
}
