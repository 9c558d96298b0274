using System.Runtime.InteropServices;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Sends a signal to one process by pid (never by name), through libc's kill(2).</summary>
public static class Signals
{
    public const int Hup = 1;
    public const int Term = 15;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            // ESRCH: the process is already gone, which is what the caller wanted.
            if (error != 3)
            {
                throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {error}");
            }
        }
    }

    // DllImport rather than LibraryImport: the generated stub would need AllowUnsafeBlocks for an (int, int) -> int call.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
