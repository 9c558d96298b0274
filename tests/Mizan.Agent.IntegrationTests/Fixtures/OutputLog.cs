using System.Text;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Thread-safe capture of a child process's output lines, for failure messages.</summary>
public sealed class OutputLog
{
    private const int MaxCharacters = 200_000;
    private readonly StringBuilder _text = new();

    public void Append(string prefix, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            _text.Append(prefix).Append(line).Append('\n');
            if (_text.Length > MaxCharacters)
            {
                _text.Remove(0, _text.Length - MaxCharacters);
            }
        }
    }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
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
