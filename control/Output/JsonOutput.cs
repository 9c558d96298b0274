using Google.Protobuf;

namespace Mizan.Control.Output;

public static class JsonOutput
{
    // One object per line (JSON Lines), so a pipeline can read events as they arrive.
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    /// <summary>
    /// One line of JSON. A CI runner reads it too: a line that starts with "{" is never a GitHub workflow command
    /// ("::name::"), and '#' (which appears only inside strings) is written \u0023, so no "##[name]" (GitHub) or
    /// "##vso[" (Azure Pipelines) command can appear in what the agent or an app wrote. Any JSON parser reads the same value.
    /// </summary>
    public static string Format(IMessage message) => Formatter.Format(message).Replace("#", "\\u0023", StringComparison.Ordinal);
}
