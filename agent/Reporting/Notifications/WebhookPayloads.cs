using System.Text.Json;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>The request body a webhook of a given format receives for an event: UTF-8 JSON.</summary>
public static class WebhookPayloads
{
    public static byte[] Render(WebhookFormat format, AgentEvent agentEvent, string host) => format switch
    {
        WebhookFormat.Slack =>
            JsonSerializer.SerializeToUtf8Bytes(SlackPayloadRenderer.Render(agentEvent, host), NotificationJsonContext.Default.SlackMessage),
        WebhookFormat.Discord =>
            JsonSerializer.SerializeToUtf8Bytes(DiscordPayloadRenderer.Render(agentEvent, host), NotificationJsonContext.Default.DiscordMessage),
        _ => JsonSerializer.SerializeToUtf8Bytes(JsonPayloadRenderer.Render(agentEvent, host), NotificationJsonContext.Default.JsonEventPayload),
    };
}
