using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Reporting.Dora;
using Mizan.Agent.Reporting.Metrics;
using Mizan.Agent.Reporting.Notifications;

namespace Mizan.Agent.Reporting;

/// <summary>
/// Webhooks, DORA figures and metrics, for the composition root. Register before the deployments: hosted services
/// stop in reverse order, so the webhooks still hear the deploys a shutdown interrupts, then get a brief flush.
/// </summary>
public static class ReportingServices
{
    public static IServiceCollection AddReporting(this IServiceCollection services)
    {
        services.AddSingleton<NotificationMetrics>();
        services.AddSingleton(provider => new WebhookSender(
            WebhookHttp.CreateClient(),
            provider.GetRequiredService<TimeProvider>(),
            WebhookBackoff.Default,
            provider.GetRequiredService<ILogger<WebhookSender>>()));
        services.AddHostedService<WebhookNotifier>();

        services.AddSingleton<DoraReportCache>();
        services.AddSingleton<IDeploymentObserver>(provider => provider.GetRequiredService<DoraReportCache>());
        services.AddSingleton<DoraQuery>();
        services.AddSingleton<DeploymentInstruments>();
        services.AddSingleton<IDeploymentObserver>(provider => provider.GetRequiredService<DeploymentInstruments>());
        services.AddSingleton<HealthMetrics>();
        services.AddSingleton<ICheckObserver>(provider => provider.GetRequiredService<HealthMetrics>());
        services.AddSingleton<DoraGauges>();
        services.AddHostedService(provider => provider.GetRequiredService<DoraGauges>());
        services.AddHostedService<PrometheusEndpoint>();
        return services;
    }
}
