namespace Mizan.Agent.Runtime.Containers;

/// <summary>Reads KEY=VALUE lines (blank lines and # comments skipped), as `docker run --env-file` does.</summary>
public static class EnvFile
{
    public static Dictionary<string, string> Parse(string content)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"'{line}' is not KEY=VALUE");
            }

            variables[line[..equals].Trim()] = line[(equals + 1)..];
        }

        return variables;
    }
}
