using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using Mizan.Control.Commands;

namespace Mizan.Control.Tests.Commands;

public class RetryPolicyTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(5);

    private static RpcException Refused() =>
        new(new Status(
            StatusCode.Unavailable,
            "Error starting gRPC call.",
            new HttpRequestException(HttpRequestError.ConnectionError, "connect failed", new SocketException((int)SocketError.ConnectionRefused))));

    private static RpcException Reset() =>
        new(new Status(StatusCode.Unavailable, "Error reading next message.", new IOException("connection reset by peer")));

    private static RpcException FromAgent(StatusCode code) => new(new Status(code, "the agent says no"));

    private static RpcException PinRejected() =>
        new(new Status(
            StatusCode.Unavailable,
            "Error starting gRPC call.",
            new HttpRequestException(
                HttpRequestError.SecureConnectionError,
                "The SSL connection could not be established",
                new AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback."))));

    private static (RetryPolicy Policy, List<TimeSpan> Waits) Policy(int retries, double random = 0.999)
    {
        var waits = new List<TimeSpan>();
        var policy = new RetryPolicy(retries, Base, Cap, () => random, (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        });
        return (policy, waits);
    }

    [Fact]
    public void CeilingFor_Retries_DoublesFromBaseUpToCap()
    {
        var (policy, _) = Policy(10);

        var ceilings = Enumerable.Range(0, 8).Select(retry => policy.CeilingFor(retry).TotalMilliseconds).ToArray();

        Assert.Equal([200, 400, 800, 1600, 3200, 5000, 5000, 5000], ceilings);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999999)]
    public void DelayFor_AnyRandom_StaysWithinZeroAndCeiling(double random)
    {
        var (policy, _) = Policy(10, random);

        for (var retry = 0; retry < 12; retry++)
        {
            var delay = policy.DelayFor(retry);
            Assert.InRange(delay, TimeSpan.Zero, policy.CeilingFor(retry));
            Assert.Equal(policy.CeilingFor(retry).TotalMilliseconds * random, delay.TotalMilliseconds, 3);
        }
    }

    [Fact]
    public void DelayFor_RealRandom_IsFullJitterBelowCap()
    {
        var policy = RetryPolicy.Create(4, null);

        var delays = Enumerable.Range(0, 200).Select(_ => policy.DelayFor(10)).ToArray();

        Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.Zero, Cap));
        Assert.True(delays.Distinct().Count() > 100, "full jitter should spread the waits");
    }

    [Fact]
    public async Task ExecuteAsync_RefusedThenAnswered_RetriesWithGrowingWaits()
    {
        var (policy, waits) = Policy(4);
        var attempts = 0;

        var answer = await policy.ExecuteAsync(
            _ => ++attempts < 3 ? Task.FromException<string>(Refused()) : Task.FromResult("ok"),
            CancellationToken.None);

        Assert.Equal("ok", answer);
        Assert.Equal(3, attempts);
        Assert.Equal(2, waits.Count);
        Assert.True(waits[1] > waits[0]);
    }

    [Fact]
    public async Task ExecuteAsync_AlwaysRefused_GivesUpAfterRetriesPlusOneAttempts()
    {
        var (policy, waits) = Policy(4);
        var attempts = 0;

        await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync<string>(
            _ =>
            {
                attempts++;
                return Task.FromException<string>(Reset());
            },
            CancellationToken.None));

        Assert.Equal(5, attempts);
        Assert.Equal(4, waits.Count);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.FailedPrecondition)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.Internal)]
    public async Task ExecuteAsync_StatusSentByAgent_IsNotRetried(StatusCode code)
    {
        var (policy, waits) = Policy(4);
        var attempts = 0;

        var thrown = await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync<string>(
            _ =>
            {
                attempts++;
                return Task.FromException<string>(FromAgent(code));
            },
            CancellationToken.None));

        Assert.Equal(code, thrown.StatusCode);
        Assert.Equal(1, attempts);
        Assert.Empty(waits);
    }

    [Fact]
    public async Task ExecuteAsync_PinMismatch_IsNotRetried()
    {
        var (policy, _) = Policy(4);
        var attempts = 0;

        await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync<string>(
            _ =>
            {
                attempts++;
                return Task.FromException<string>(PinRejected());
            },
            CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public void IsRetryable_TransportFailures_TrueAndAgentStatus_False()
    {
        Assert.True(RetryPolicy.IsRetryable(Refused()));
        Assert.True(RetryPolicy.IsRetryable(Reset()));
        Assert.False(RetryPolicy.IsRetryable(FromAgent(StatusCode.Unavailable)));
        Assert.False(RetryPolicy.IsRetryable(PinRejected()));
    }

    [Fact]
    public void WasCertainlyNotSent_RefusedVersusReset_OnlyRefused()
    {
        Assert.True(RetryPolicy.WasCertainlyNotSent(Refused()));
        Assert.False(RetryPolicy.WasCertainlyNotSent(Reset()));
        Assert.False(RetryPolicy.WasCertainlyNotSent(FromAgent(StatusCode.Unavailable)));
    }
}
