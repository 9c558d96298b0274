using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Tests.Runtime.Containers;

public class ContainerFailureTests
{
    private static ContainerRunState State(
        bool running = true,
        bool restarting = false,
        long exitCode = 0,
        long restarts = 0,
        bool oomKilled = false,
        string? health = null) =>
        new(running, restarting, exitCode, restarts, running ? "running" : "exited", health, oomKilled);

    [Fact]
    public void Describe_RunningWithoutRestarts_IsNull()
    {
        Assert.Null(ContainerFailure.Describe(State(), countRestartsAsFailure: true));
    }

    [Fact]
    public void Describe_Gone_SaysSo()
    {
        Assert.Equal("the container is gone", ContainerFailure.Describe(null, countRestartsAsFailure: true));
    }

    [Fact]
    public void Describe_Exited_GivesTheExitCode()
    {
        Assert.Equal("the container exited with code 3", ContainerFailure.Describe(State(running: false, exitCode: 3), countRestartsAsFailure: false));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Describe_OomKilledAndDown_SaysOutOfMemoryNotTheExitCode(bool running, bool restarting)
    {
        var text = ContainerFailure.Describe(State(running, restarting, exitCode: 137, oomKilled: true), countRestartsAsFailure: false);

        Assert.StartsWith("the container was killed: out of memory (", text, StringComparison.Ordinal);
        Assert.DoesNotContain("137", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_OomKilledAndRestartedByDocker_SaysOutOfMemoryAndTheRestarts()
    {
        var text = ContainerFailure.Describe(State(restarts: 2, oomKilled: true), countRestartsAsFailure: true);

        Assert.StartsWith("the container was killed: out of memory and restarted 2 time(s)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_RestartedWithoutOom_SaysExited()
    {
        Assert.Equal(
            "the container exited and was restarted 1 time(s)",
            ContainerFailure.Describe(State(restarts: 1), countRestartsAsFailure: true));
    }

    [Fact]
    public void Describe_RecoveredLongAgoFromOom_IsNullWhenRestartsDoNotCount()
    {
        Assert.Null(ContainerFailure.Describe(State(restarts: 1, oomKilled: true), countRestartsAsFailure: false));
    }

    [Fact]
    public void Describe_DockerHealthcheckUnhealthy_SaysSo()
    {
        Assert.Equal(
            "the image's Docker HEALTHCHECK reports unhealthy",
            ContainerFailure.Describe(State(health: "unhealthy"), countRestartsAsFailure: true));
    }
}
