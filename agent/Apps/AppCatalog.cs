using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Apps;

/// <summary>The apps the configuration declares; the only apps the agent will touch.</summary>
public sealed class AppCatalog(IOptions<AgentOptions> options)
{
    public IReadOnlyCollection<string> Names => options.Value.Apps.Keys;

    public AppOptions Get(string name)
    {
        if (options.Value.Apps.TryGetValue(name, out var app))
        {
            return app;
        }

        var known = options.Value.Apps.Count == 0
            ? "none are configured"
            : "configured apps: " + string.Join(", ", options.Value.Apps.Keys.Order(StringComparer.Ordinal));
        throw new InvalidRequestException($"unknown app '{Printable(name)}' ({known}); apps are declared in the agent's configuration file");
    }

    public static int PortOf(AppOptions app, Slot slot) => slot == Slot.Blue ? app.BluePort : app.GreenPort;

    public static Slot ParseSlot(string text) =>
        SlotNames.TryParse(text, out var slot) ? slot : throw new InvalidRequestException($"unknown slot '{Printable(text)}': use blue or green");

    /// <summary>Caller text echoed in an error, cut and stripped of control characters so it cannot forge log lines.</summary>
    public static string Printable(string text)
    {
        var cut = text.Length > 64 ? text[..64] + "…" : text;
        return new string(cut.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
