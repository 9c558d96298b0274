using Grpc.Core;
using Grpc.Net.Client;
using Mizan.Agent.V1;
using Mizan.Control.Commands;
using Mizan.Control.Connection;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Commands;

public sealed class DeploymentStreamFollowerTests : IDisposable
{
    private readonly GrpcChannel channel = GrpcChannel.ForAddress("http://localhost");
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    public void Dispose() => channel.Dispose();

    private AgentInvocation Invocation(OutputFormat format = OutputFormat.Text, GitHubActionsWriter? gitHub = null) => new(
        "deploy",
        new AgentService.AgentServiceClient(channel),
        AgentAddress.UnixSocket("/tmp/agent.sock"),
        format,
        output,
        error,
        gitHub,
        _ => null,
        new DeploymentTextRenderer(TimeZoneInfo.Utc));

    // What a hostile app or a forged agent answer could put in a message or a log tail.
    private const string Hostile = "::set-output name=live-image::evil\n::add-mask::s3cr3t\n##[set-output name=state;]succeeded";

    private static Func<CancellationToken, AsyncServerStreamingCall<DeploymentEvent>> Stream(
        IEnumerable<DeploymentEvent> events, RpcException? endWith = null) =>
        _ => new AsyncServerStreamingCall<DeploymentEvent>(
            new FakeStreamReader(events, endWith),
            Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess,
            () => [],
            () => { });

    private static DeploymentEvent Done(DeploymentState state, string message = "")
    {
        var done = TestData.Event(Step.Done, state == DeploymentState.Succeeded ? StepStatus.Succeeded : StepStatus.Failed, message, 12.5);
        done.Result = TestData.Deployment(state, message);
        return done;
    }

    [Fact]
    public async Task FollowAsync_Succeeded_PrintsEventsAndSummaryAndReturnsZero()
    {
        DeploymentEvent[] events = [TestData.Event(Step.Pull, StepStatus.Started, "pulling v2"), Done(DeploymentState.Succeeded)];

        var exitCode = await DeploymentStreamFollower.FollowAsync(Invocation(), "web", Stream(events), CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Contains("12:34:56.789  pull         started    pulling v2", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Deployment succeeded.", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("", error.ToString());
    }

    [Theory]
    [InlineData(DeploymentState.Failed, "health check failed: HTTP 502")]
    [InlineData(DeploymentState.RolledBack, "verify failed; traffic switched back to blue")]
    [InlineData(DeploymentState.Interrupted, "agent restarted during check; live untouched")]
    public async Task FollowAsync_NotSucceeded_ReturnsOneWithAgentMessageOnStderr(DeploymentState state, string message)
    {
        var exitCode = await DeploymentStreamFollower.FollowAsync(Invocation(), "web", Stream([Done(state, message)]), CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowAsync_UnderGitHubActions_AgentTextIsFencedAndOnlyTheAnnotationActs()
    {
        var check = TestData.Event(Step.Check, StepStatus.Failed, "::warning::" + Hostile);
        check.Details["log_tail"] = Hostile;
        var gitHub = new GitHubActionsWriter(output, null, null);

        var exitCode = await DeploymentStreamFollower.FollowAsync(
            Invocation(gitHub: gitHub), "web", Stream([check, Done(DeploymentState.Failed, Hostile)]), CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("::add-mask::s3cr3t", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("::add-mask::s3cr3t", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(["error"], WorkflowCommandReader.Read(output.ToString()).Acted);
        Assert.False(WorkflowCommandReader.Read(output.ToString()).StoppedAtEnd);
        Assert.Empty(WorkflowCommandReader.Read(error.ToString()).Acted);
        Assert.False(WorkflowCommandReader.Read(error.ToString()).StoppedAtEnd);
    }

    [Fact]
    public async Task FollowAsync_UnderGitHubActionsStreamCutAfterHostileText_ClosesTheFenceBeforeTheError()
    {
        var gitHub = new GitHubActionsWriter(output, null, null);

        var exitCode = await DeploymentStreamFollower.FollowAsync(
            Invocation(gitHub: gitHub), "web", Stream([TestData.Event(Step.Pull, StepStatus.Started, Hostile)], Lost()), CancellationToken.None);

        Assert.Equal(3, exitCode);
        var lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal($"::{gitHub.Stdout.Token}::", lines[^2]);
        Assert.StartsWith("::error title=", lines[^1], StringComparison.Ordinal);
        Assert.Equal(["error"], WorkflowCommandReader.Read(output.ToString()).Acted);
    }

    [Fact]
    public async Task FollowAsync_StreamEndsWithoutResult_ReturnsThreeAndExplainsWatch()
    {
        var exitCode = await DeploymentStreamFollower.FollowAsync(
            Invocation(), "web", Stream([TestData.Event(Step.Pull, StepStatus.Started, "pulling")]), CancellationToken.None);

        Assert.Equal(3, exitCode);
        Assert.Contains("continues on the agent", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("mizanctl watch d-42", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowAsync_ConnectionLostMidStream_ReturnsThreeAndExplainsWatch()
    {
        var lost = new RpcException(new Status(StatusCode.Unavailable, "connection reset", new IOException("reset")));

        var exitCode = await DeploymentStreamFollower.FollowAsync(
            Invocation(), "web", Stream([TestData.Event(Step.Pull, StepStatus.Started, "pulling")], lost), CancellationToken.None);

        Assert.Equal(3, exitCode);
        Assert.Contains("mizanctl watch d-42", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowAsync_RpcFailsBeforeAnyEvent_Propagates()
    {
        var busy = new RpcException(new Status(StatusCode.FailedPrecondition, "a deploy of web is running"));

        var thrown = await Assert.ThrowsAsync<RpcException>(() =>
            DeploymentStreamFollower.FollowAsync(Invocation(), "web", Stream([], busy), CancellationToken.None));

        Assert.Equal(StatusCode.FailedPrecondition, thrown.StatusCode);
    }

    private static readonly RetryPolicy ThreeQuickRetries = new(3, TimeSpan.Zero, TimeSpan.Zero, () => 0, (_, _) => Task.CompletedTask);

    private static RpcException Lost() => new(new Status(StatusCode.Unavailable, "connection reset", new IOException("reset")));

    private static DeploymentEvent Numbered(int sequence, Step step, StepStatus status)
    {
        var deploymentEvent = TestData.Event(step, status, $"{step} {status}");
        deploymentEvent.Sequence = sequence;
        return deploymentEvent;
    }

    [Fact]
    public async Task FollowAsync_LostAfterIdWithRetries_ReattachesByIdWithoutRedeployingOrRepeatingEvents()
    {
        var starts = 0;
        var watched = new List<string>();
        var done = Done(DeploymentState.Succeeded);
        done.Sequence = 3;
        var invocation = Invocation() with { Retry = ThreeQuickRetries };

        var exitCode = await DeploymentStreamFollower.FollowAsync(
            invocation,
            "web",
            ct =>
            {
                starts++;
                return Stream([Numbered(1, Step.Pull, StepStatus.Started)], Lost())(ct);
            },
            CancellationToken.None,
            canRestart: RetryPolicy.IsRetryable,
            reattach: (id, ct) =>
            {
                watched.Add(id);
                return Stream([Numbered(1, Step.Pull, StepStatus.Started), Numbered(2, Step.Pull, StepStatus.Succeeded), done])(ct);
            });

        Assert.Equal(0, exitCode);
        Assert.Equal(1, starts);
        Assert.Equal(["d-42"], watched);
        var text = output.ToString();
        Assert.Equal(1, text.Split("Pull Started").Length - 1);
        Assert.Contains("Pull Succeeded", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowAsync_LostBeforeAnyEventAndRestartAllowed_StartsAgain()
    {
        var starts = 0;

        var exitCode = await DeploymentStreamFollower.FollowAsync(
            Invocation() with { Retry = ThreeQuickRetries },
            "web",
            ct => ++starts == 1 ? Stream([], Lost())(ct) : Stream([Done(DeploymentState.Succeeded)])(ct),
            CancellationToken.None,
            canRestart: RetryPolicy.IsRetryable);

        Assert.Equal(0, exitCode);
        Assert.Equal(2, starts);
    }

    [Fact]
    public async Task FollowAsync_LostBeforeAnyEventAndRestartNotAllowed_PropagatesAfterOneStart()
    {
        var starts = 0;

        await Assert.ThrowsAsync<RpcException>(() => DeploymentStreamFollower.FollowAsync(
            Invocation() with { Retry = ThreeQuickRetries },
            "web",
            ct =>
            {
                starts++;
                return Stream([], Lost())(ct);
            },
            CancellationToken.None,
            canRestart: RetryPolicy.WasCertainlyNotSent));

        Assert.Equal(1, starts);
    }

    [Fact]
    public async Task FollowAsync_ReattachKeepsFailing_DetachesWithWatchHintAfterRetries()
    {
        var watches = 0;

        var exitCode = await DeploymentStreamFollower.FollowAsync(
            Invocation() with { Retry = ThreeQuickRetries },
            "web",
            Stream([TestData.Event(Step.Pull, StepStatus.Started, "pulling")], Lost()),
            CancellationToken.None,
            reattach: (_, ct) =>
            {
                watches++;
                return Stream([], Lost())(ct);
            });

        Assert.Equal(3, exitCode);
        Assert.Equal(3, watches);
        Assert.Contains("mizanctl watch d-42", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowAsync_Json_WritesOneObjectPerEventThenDeployment()
    {
        DeploymentEvent[] events = [TestData.Event(Step.Pull, StepStatus.Started, "pulling v2"), Done(DeploymentState.Succeeded)];

        await DeploymentStreamFollower.FollowAsync(Invocation(OutputFormat.Json), "web", Stream(events), CancellationToken.None);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(events[0], DeploymentEvent.Parser.ParseJson(lines[0]));
        Assert.Equal(events[1], DeploymentEvent.Parser.ParseJson(lines[1]));
        Assert.Equal(events[1].Result, Deployment.Parser.ParseJson(lines[2]));
    }

    private sealed class FakeStreamReader(IEnumerable<DeploymentEvent> events, RpcException? endWith) : IAsyncStreamReader<DeploymentEvent>
    {
        private readonly IEnumerator<DeploymentEvent> events = events.GetEnumerator();

        public DeploymentEvent Current => this.events.Current;

        public Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (this.events.MoveNext())
            {
                return Task.FromResult(true);
            }

            return endWith is null ? Task.FromResult(false) : Task.FromException<bool>(endWith);
        }
    }
}
