using System.Text;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Thread-safe capture of a child process's output lines, for failure messages.</summary>
public sealed class OutputLog
{
    private const int MaxCharacters = 200_000;
    private readonly StringBuilder text = new();

    public void Append(string prefix, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.Append(prefix).Append(line).Append('\n');
            if (text.Length > MaxCharacters)
            {
                text.Remove(0, text.Length - MaxCharacters);
            }
        }
    }

    public string Text
    {
        get
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }

    /// <summary>The last <paramref name="lines"/> lines.</summary>
    public string Tail(int lines = 40)
    {
        var all = Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
