using System.Text.Json.Serialization;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>Source-generated serialization of the payloads (Native AOT: no reflection); snake_case as Slack and Discord expect.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonEventPayload))]
[JsonSerializable(typeof(SlackMessage))]
[JsonSerializable(typeof(DiscordMessage))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;
