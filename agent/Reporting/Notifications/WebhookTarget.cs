using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Reporting.Notifications;

/// <summary>
/// One configured webhook, ready to deliver to. The URL is a secret (Slack and Discord put the token in its path), so
/// everything that names the webhook uses <see cref="Name"/>, and <see cref="ToString"/> returns the name too.
/// </summary>
public sealed class WebhookTarget
{
    private WebhookTarget(string name, Uri url, WebhookFormat format, WebhookFilter filter, TimeSpan timeout, int maxAttempts)
    {
        Name = name;
        Url = url;
        Format = format;
        Filter = filter;
        Timeout = timeout;
        MaxAttempts = maxAttempts;
    }

    /// <summary>The configured Name, or "webhook #INDEX (HOST)": the host is not secret, the path and query are.</summary>
    public string Name { get; }

    /// <summary>Only for sending: never log, format or put it in an exception message.</summary>
    public Uri Url { get; }

    public WebhookFormat Format { get; }

    public WebhookFilter Filter { get; }

    /// <summary>How long one attempt may take, connecting and answering included.</summary>
    public TimeSpan Timeout { get; }

    public int MaxAttempts { get; }

    /// <param name="index">The position under Notifications:Webhooks, as the configuration keys count it.</param>
    public static WebhookTarget From(WebhookOptions options, int index)
    {
        var url = new Uri(options.Url, UriKind.Absolute);
        var kinds = options.Events.Select(e => AgentEventKindNames.TryParse(e, out var kind)
            ? kind
            : throw new ArgumentException($"Notifications:Webhooks:{index}:Events: '{e}' is not an event kind", nameof(options)));
        return new WebhookTarget(
            DisplayName(options, index, url),
            url,
            options.Format,
            new WebhookFilter(kinds, options.Apps),
            options.Timeout,
            options.MaxAttempts);
    }

    /// <summary>What logs and metrics call a webhook: its Name, else its position and host, never its path.</summary>
    public static string DisplayName(WebhookOptions options, int index, Uri url) =>
        options.Name.Length > 0 ? options.Name : $"webhook #{index} ({url.IdnHost})";

    public override string ToString() => Name;
}
