namespace Mizan.Agent.Runtime.Containers;

/// <summary>Reads KEY=VALUE lines (blank lines and # comments skipped), as `docker run --env-file` does.</summary>
public static class EnvFile
{
    /// <exception cref="FormatException">
    /// A line is not KEY=VALUE. The message names the line by its number only: the line may hold a secret, and the
    /// message reaches the deploy's step details, CI logs and webhooks.
    /// </exception>
    public static Dictionary<string, string> Parse(string content)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = content.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"line {index + 1} is not KEY=VALUE (or a # comment)");
            }

            variables[line[..equals].Trim()] = line[(equals + 1)..];
        }

        return variables;
    }
}
