using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Mizan.Agent.Reporting.Metrics;

/// <summary>
/// Serves the "Mizan.Agent" meter as Prometheus text on http://Metrics:Prometheus:Address:Port/metrics: its own small
/// HTTP/1.1 listener (OpenTelemetry's Prometheus exporter), apart from Kestrel, so no gRPC service is reachable there
/// and nothing but /metrics is served. When the port cannot be taken the agent logs why and keeps deploying:
/// losing the scrape must not stop a release.
/// </summary>
public sealed partial class PrometheusEndpoint(IOptions<AgentOptions> options, ILogger<PrometheusEndpoint> logger) : IHostedService, IDisposable
{
    private MeterProvider? provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var prometheus = options.Value.Metrics.Prometheus;
        if (!prometheus.Enabled)
        {
            return Task.CompletedTask;
        }

        var host = prometheus.Address.Contains(':', StringComparison.Ordinal) ? $"[{prometheus.Address}]" : prometheus.Address;
        try
        {
            provider = Sdk.CreateMeterProviderBuilder()
                .AddMeter(AgentMeter.Name)
                // Checks (self-health) take milliseconds to seconds; the SDK's default bounds (0 to 10,000) suit milliseconds.
                .AddView(
                    "mizan.check.duration",
                    new ExplicitBucketHistogramConfiguration { Boundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] })
                .AddPrometheusHttpListener(listener =>
                {
                    listener.Host = host;
                    listener.Port = prometheus.Port;
                    listener.ScrapeEndpointPath = "/metrics";
                    listener.ScopeInfoEnabled = false;
                    listener.TargetInfoEnabled = false;
                })
                .Build();
            LogListening(logger, prometheus.Address, prometheus.Port);
        }
        catch (InvalidOperationException ex)
        {
            LogNotStarted(logger, prometheus.Address, prometheus.Port, ex.InnerException?.Message ?? ex.Message);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        provider?.Dispose();
        provider = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus metrics on http://{Address}:{Port}/metrics")]
    private static partial void LogListening(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Prometheus metrics NOT served: could not listen on {Address}:{Port} ({Reason}); " +
        "choose a free Metrics:Prometheus:Port or set Metrics:Prometheus:Enabled to false. Deploys go on.")]
    private static partial void LogNotStarted(ILogger logger, string address, int port, string reason);
}
