using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class LocalCallerOutsideTheGroupIsRefused(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private const string Nobody = "65534";

    [Fact]
    public async Task NobodyOnTheUnixSocketGetsPermissionDeniedNamingTheGroup()
    {
        await StartAsync();
        // Open the socket's file mode so the refusal comes from the agent's SO_PEERCRED check, not from the file system.
        File.SetUnixFileMode(Path.GetDirectoryName(Config.SocketPath)!, (UnixFileMode)0b111_001_001);
        File.SetUnixFileMode(Config.SocketPath, (UnixFileMode)0b110_110_110);

        var asNobody = await ProcessRunner.RunAsync(
            "setpriv",
            [
                $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups",
                "dotnet", RepoPaths.MizanCtlDll, "status", "--retries", "0", "--agent", Ctl.AgentAddress
            ],
            Token,
            MizanCtl.Deadline,
            environment: new Dictionary<string, string> { ["HOME"] = "/tmp", ["DOTNET_CLI_HOME"] = "/tmp", ["DOTNET_NOLOGO"] = "1" });

        Assert.True(asNobody.ExitCode != 0, $"nobody must be refused: {asNobody}");
        Assert.Contains("uid 65534", asNobody.Output, StringComparison.Ordinal);
        Assert.Contains("mizan", asNobody.Output, StringComparison.Ordinal);

        var asRoot = await Ctl.RunAsync(["status"], Token);
        Assert.True(asRoot.ExitCode == 0, $"root is admin on the socket: {asRoot}");
    }
}
