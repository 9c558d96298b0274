namespace Mizan.Control.Tests;

/// <summary>
/// Reads one stream of a step's output as a GitHub Actions runner does: a line that starts (after leading spaces) with
/// ::name:: or holds ##[name] anywhere is a command, except between ::stop-commands::TOKEN and ::TOKEN::.
/// </summary>
internal static class WorkflowCommandReader
{
    /// <returns>The names of the commands the runner would act on, and whether commands are still stopped at the end.</returns>
    public static (IReadOnlyList<string> Acted, bool StoppedAtEnd) Read(string output)
    {
        var acted = new List<string>();
        string? stopToken = null;
        foreach (var line in output.Split('\n'))
        {
            if (CommandName(line.TrimEnd('\r')) is not { } name)
            {
                continue;
            }

            if (stopToken is not null)
            {
                stopToken = string.Equals(name, stopToken, StringComparison.OrdinalIgnoreCase) ? null : stopToken;
            }
            else if (name == "stop-commands")
            {
                stopToken = line.TrimStart()["::stop-commands::".Length..].TrimEnd('\r');
            }
            else
            {
                acted.Add(name);
            }
        }

        return (acted, stopToken is not null);
    }

    private static string? CommandName(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("::", StringComparison.Ordinal) && trimmed.IndexOf("::", 2, StringComparison.Ordinal) is > 2 and var end)
        {
            return trimmed[2..end].Split(' ')[0];
        }

        var legacy = line.IndexOf("##[", StringComparison.Ordinal);
        var close = legacy < 0 ? -1 : line.IndexOf(']', legacy);
        return close > legacy + 3 ? line[(legacy + 3)..close].Split(' ')[0] : null;
    }
}
