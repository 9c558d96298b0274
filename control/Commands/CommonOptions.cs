using System.CommandLine;

namespace Mizan.Control.Commands;

/// <summary>Factories for options several verbs share; each verb gets its own instance.</summary>
public static class CommonOptions
{
    public static Option<string> App() => new("--app")
    {
        Description = "App name, as declared in the agent's configuration",
        HelpName = "APP",
        Required = true,
    };

    public static Option<string> Image() => new("--image")
    {
        Description = "Image to run: a tag (v2), a digest (sha256:...) or a full reference in the app's repository",
        HelpName = "REF",
        Required = true,
    };

    public static Option<string?> Slot(string description, bool required = false) => new Option<string?>("--slot")
    {
        Description = description,
        HelpName = "blue|green",
        Required = required,
    }.AcceptOnlyFromAmong("blue", "green");
}
