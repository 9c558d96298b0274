using System.Text.RegularExpressions;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Hosting.Configuration;

/// <summary>Notifications:Webhooks. A webhook URL is a secret (Slack and Discord put the token in it): errors name the key, never the value.</summary>
public static partial class AgentOptionsValidator
{
    public const int MaxWebhookAttempts = 10;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ._#()-]{0,62}\\z")]
    private static partial Regex WebhookNamePattern();

    private static void ValidateNotifications(List<string> errors, NotificationOptions notifications, Dictionary<string, AppOptions> apps)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < notifications.Webhooks.Count; i++)
        {
            var webhook = notifications.Webhooks[i];
            var key = $"Notifications:Webhooks:{i}";
            if (webhook.Name.Length > 0 && !WebhookNamePattern().IsMatch(webhook.Name))
            {
                errors.Add($"{key}:Name: '{webhook.Name}' must be 1-63 letters, digits, spaces or . _ # ( ) -, starting with a letter or digit");
            }
            else if (webhook.Name.Length > 0 && !names.Add(webhook.Name))
            {
                errors.Add($"{key}:Name: '{webhook.Name}' is used by another webhook; logs and metrics tell webhooks apart by name");
            }

            if (webhook.Url.Length == 0)
            {
                errors.Add($"{key}:Url: required (the webhook's http:// or https:// URL)");
            }
            else if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            {
                errors.Add($"{key}:Url: must be an absolute http:// or https:// URL (the value is not shown: webhook URLs hold secrets)");
            }

            if (!Enum.IsDefined(webhook.Format))
            {
                errors.Add($"{key}:Format: must be Json, Slack or Discord");
            }

            for (var e = 0; e < webhook.Events.Count; e++)
            {
                if (!AgentEventKindNames.TryParse(webhook.Events[e], out _))
                {
                    errors.Add($"{key}:Events:{e}: '{webhook.Events[e]}' is not an event; use one of {string.Join(", ", Enum.GetNames<AgentEventKind>())}");
                }
            }

            for (var a = 0; a < webhook.Apps.Count; a++)
            {
                if (!apps.ContainsKey(webhook.Apps[a]))
                {
                    errors.Add($"{key}:Apps:{a}: '{webhook.Apps[a]}' is not an app declared under Apps");
                }
            }

            RequirePositive(errors, $"{key}:Timeout", webhook.Timeout);
            if (webhook.MaxAttempts is < 1 or > MaxWebhookAttempts)
            {
                errors.Add($"{key}:MaxAttempts: {webhook.MaxAttempts} is out of range 1-{MaxWebhookAttempts}");
            }
        }
    }
}
