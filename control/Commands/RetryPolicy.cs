using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

/// <summary>
/// Retries calls that failed because the agent could not be reached (connection refused or reset), with exponential
/// backoff and full jitter: before retry n (0-based) it waits a random time in [0, min(cap, base * 2^n)).
/// Statuses the agent itself sent are never retried, nor TLS failures (a pin mismatch does not heal by waiting).
/// </summary>
public sealed class RetryPolicy(
    int retries,
    TimeSpan baseDelay,
    TimeSpan maxDelay,
    Func<double> random,
    Func<TimeSpan, CancellationToken, Task> delay,
    TextWriter? log = null)
{
    public const int DefaultRetries = 4;
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>One attempt, no retry.</summary>
    public static RetryPolicy None { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero, () => 0, (_, _) => Task.CompletedTask);

    public int Retries => retries;

    public static RetryPolicy Create(int retries, TextWriter? log) =>
        new(retries, DefaultBaseDelay, DefaultMaxDelay, Random.Shared.NextDouble, Task.Delay, log);

    /// <summary>The longest wait before retry <paramref name="retry"/> (0-based): min(cap, base * 2^retry).</summary>
    public TimeSpan CeilingFor(int retry)
    {
        var ceiling = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ceiling, maxDelay.TotalMilliseconds));
    }

    /// <summary>Full jitter: uniformly random in [0, ceiling).</summary>
    public TimeSpan DelayFor(int retry) => TimeSpan.FromMilliseconds(CeilingFor(retry).TotalMilliseconds * Math.Clamp(random(), 0, 1));

    /// <summary>The agent was not reached (connection refused, reset, socket missing); false for anything the agent answered and for TLS failures.</summary>
    public static bool IsRetryable(RpcException exception) =>
        AgentErrors.IsTransportFailure(exception) && !IsSecureConnectionFailure(exception);

    /// <summary>
    /// The request cannot have reached the agent: the connection itself was never made. Only then is a call that is
    /// not idempotent (a rollback) safe to send again.
    /// </summary>
    public static bool WasCertainlyNotSent(RpcException exception) =>
        IsRetryable(exception)
        && AgentErrors.Chain(exception.Status.DebugException!).Any(inner =>
            inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }
                or SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.HostNotFound });

    public static bool IsSecureConnectionFailure(RpcException exception) =>
        exception.Status.DebugException is { } debug
        && AgentErrors.Chain(debug).Any(inner =>
            inner is AuthenticationException or HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError });

    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (RpcException exception) when (retry < retries && IsRetryable(exception) && !cancellationToken.IsCancellationRequested)
            {
                await WaitAsync(retry, exception, cancellationToken);
            }
        }
    }

    /// <summary>Logs the failure and waits before retry <paramref name="retry"/> (0-based).</summary>
    public async Task WaitAsync(int retry, RpcException cause, CancellationToken cancellationToken)
    {
        var wait = DelayFor(retry);
        if (log is not null)
        {
            var reason = cause.Status.DebugException is { } debug ? AgentErrors.Chain(debug).Last().Message : cause.Status.Detail;
            await log.WriteLineAndFlushAsync(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"mizanctl: cannot reach the agent ({reason}); retry {retry + 1}/{retries} in {wait.TotalSeconds:0.0}s"),
                cancellationToken);
        }

        await delay(wait, cancellationToken);
    }
}
