namespace Mizan.Agent.Reporting.Notifications;

/// <summary>Text rules shared by the chat payloads: both services refuse a message whose fields are too long.</summary>
internal static class PayloadText
{
    private const string Ellipsis = "…";

    public static string Truncate(string text, int maxLength) =>
        text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength - Ellipsis.Length), Ellipsis);

    /// <summary>Details in a stable order, so the same event always renders the same message.</summary>
    public static IEnumerable<KeyValuePair<string, string>> OrderedDetails(IReadOnlyDictionary<string, string>? details) =>
        details is null ? [] : details.OrderBy(d => d.Key, StringComparer.Ordinal);

    /// <summary>"app" for an app's event, "agent" for one that concerns the whole agent.</summary>
    public static string Subject(string app) => app.Length > 0 ? app : "agent";
}
