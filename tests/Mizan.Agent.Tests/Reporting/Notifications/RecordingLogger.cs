using Microsoft.Extensions.Logging;

namespace Mizan.Agent.Tests.Reporting.Notifications;

/// <summary>Keeps every rendered log line, and lets a test wait for one (the moment a retry is scheduled).</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private readonly List<string> lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> waiters = [];

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

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}";
        lock (lines)
        {
            lines.Add(line);
            foreach (var waiter in waiters.Where(w => w.Match(line)).ToList())
            {
                waiters.Remove(waiter);
                waiter.Found.TrySetResult(line);
            }
        }
    }

    /// <summary>The first line, logged before or after this call, that contains <paramref name="text"/>.</summary>
    public Task<string> WaitForAsync(string text)
    {
        bool Match(string line) => line.Contains(text, StringComparison.Ordinal);
        lock (lines)
        {
            if (lines.FirstOrDefault(Match) is { } already)
            {
                return Task.FromResult(already);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((Match, found));
            return found.Task.WaitAsync(Guard);
        }
    }
}
