namespace Mizan.Agent.Apps.Options;

/// <summary>Where the agent tells people what happened (section "Notifications").</summary>
public sealed class NotificationOptions
{
    public List<WebhookOptions> Webhooks { get; set; } = [];
}

public enum WebhookFormat
{
    /// <summary>The agent's own JSON event.</summary>
    Json,

    /// <summary>An incoming-webhook message: {"text": ...} with blocks.</summary>
    Slack,

    /// <summary>A Discord webhook message: {"content": ...} with an embed.</summary>
    Discord,
}

public sealed class WebhookOptions
{
    /// <summary>How the webhook appears in logs instead of its URL, which is a secret.</summary>
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    public WebhookFormat Format { get; set; } = WebhookFormat.Json;

    /// <summary>Event kinds to send (e.g. "DeployFailed"); empty sends all.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>Only these apps; empty means all apps and agent-wide events.</summary>
    public List<string> Apps { get; set; } = [];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxAttempts { get; set; } = 4;
}
