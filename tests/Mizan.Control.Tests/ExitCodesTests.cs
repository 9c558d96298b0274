using Mizan.Agent.V1;

namespace Mizan.Control.Tests;

public class ExitCodesTests
{
    [Fact]
    public void ForDeploymentState_Succeeded_ReturnsZero() =>
        Assert.Equal(0, ExitCodes.ForDeploymentState(DeploymentState.Succeeded));

    [Theory]
    [InlineData(DeploymentState.Failed)]
    [InlineData(DeploymentState.RolledBack)]
    [InlineData(DeploymentState.Interrupted)]
    [InlineData(DeploymentState.Running)]
    [InlineData(DeploymentState.Unspecified)]
    public void ForDeploymentState_NotSucceeded_ReturnsOne(DeploymentState state) =>
        Assert.Equal(1, ExitCodes.ForDeploymentState(state));

    [Fact]
    public void HelpText_ListsEveryExitCode()
    {
        foreach (var code in new[] { "0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 " })
        {
            Assert.Contains("\n  " + code, "\n" + ExitCodes.HelpText, StringComparison.Ordinal);
        }
    }
}
