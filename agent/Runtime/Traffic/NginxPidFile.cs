using System.Text.RegularExpressions;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>The `pid` directive of an nginx main configuration: where the master writes its pid.</summary>
public static partial class NginxPidFile
{
    // Main context only: "pid /run/nginx.pid;" at the start of a line, not inside a comment.
    [GeneratedRegex(@"^\s*pid\s+([^;\s]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex PidDirective();

    /// <summary>The pid file the configuration names, or null when it names none (nginx then uses its compiled-in path).</summary>
    public static string? FromConfiguration(string configuration)
    {
        var match = PidDirective().Match(configuration);
        return match.Success ? match.Groups[1].Value.Trim('"', '\'') : null;
    }
}
