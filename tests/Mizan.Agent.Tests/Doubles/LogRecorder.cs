using Microsoft.Extensions.Logging;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>Keeps every line any component logs, as "Level: message", for branches whose only trace is the log.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public bool Has(LogLevel level, string text) =>
        Lines.Any(line => line.StartsWith($"{level}:", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Recording(this);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lock (lines)
        {
            lines.Add(line);
        }
    }

    private sealed class Recording(LogRecorder recorder) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
