using System.Diagnostics;

namespace Mizan.Systemd.Tests.Fixtures;

/// <summary>Polls a condition with a short interval until it holds or a deadline passes.</summary>
public static class Eventually
{
    public static async Task<TimeSpan> TrueAsync(string what, TimeSpan deadline, Func<Task<bool>> condition, TimeSpan? interval = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return watch.Elapsed;
            }

            if (watch.Elapsed > deadline)
            {
                throw new TimeoutException($"{what}: not true within {deadline.TotalSeconds:0} s");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
