using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Tests.Runtime.Traffic;

public sealed class HelperNginxControlTests
{
    [Fact]
    public void TheLastLineIsTheExitCodeAndTheRestIsNginxOutput()
    {
        var (exitCode, output) = HelperNginxControl.Parse("test", "nginx: [emerg] unexpected \"}\"\nnginx: configuration file test failed\nexit=1\n");

        Assert.Equal(1, exitCode);
        Assert.Equal("nginx: [emerg] unexpected \"}\"\nnginx: configuration file test failed", output);
    }

    [Fact]
    public void AReloadWithoutOutputIsJustTheExitCode()
    {
        Assert.Equal((0, ""), HelperNginxControl.Parse("reload", "exit=0\n"));
    }

    [Fact]
    public void AReplyCutOffBeforeTheExitCodeIsAnError()
    {
        var error = Assert.Throws<DependencyUnavailableException>(() => HelperNginxControl.Parse("test", "nginx: the configuration"));
        Assert.Contains("no exit code", error.Message, StringComparison.Ordinal);
    }
}
