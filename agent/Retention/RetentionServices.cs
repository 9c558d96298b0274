namespace Mizan.Agent.Retention;

/// <summary>The clean-up of old images and history, for the composition root.</summary>
public static class RetentionServices
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddSingleton<RetentionRunner>();
        services.AddSingleton<IExpiringRecords, TrafficRouteChangesExpiry>();
        services.AddTransient<RetentionJob>();
        return services;
    }
}
