using System.Text.Json;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>One request a <see cref="WebhookReceiver"/> got; <see cref="Status"/> is what it answered, 0 for never.</summary>
public sealed record ReceivedWebhook(string Method, string Path, string ContentType, string UserAgent, string Body, int Status, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>"kind" of the agent's own JSON payload; empty for Slack and Discord bodies.</summary>
    public string Kind => Json.TryGetProperty("kind", out var kind) ? kind.GetString() ?? "" : "";

    /// <summary>"deployment_id" of the agent's own JSON payload.</summary>
    public string DeploymentId => Json.TryGetProperty("deployment_id", out var id) ? id.GetString() ?? "" : "";

    public override string ToString() =>
        $"{At:HH:mm:ss.fff} {Method} {Path} -> {(Status == 0 ? "no answer" : Status)}: {(Body.Length > 300 ? Body[..300] + "..." : Body)}";
}
