using System.Diagnostics.CodeAnalysis;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Retention;
using Quartz;

namespace Mizan.Agent.Hosting;

/// <summary>
/// The agent's scheduled jobs, hosted in the agent with Quartz and an in-memory store (the schedules come from the
/// configuration at each start; nothing needs persisting). A job never overlaps itself ([DisallowConcurrentExecution]).
/// A run missed because the previous one ran long (or the machine slept) is skipped, not replayed: the trigger moves on
/// to its next regular time (NextWithRemainingCount), so a late agent never fires a burst of catch-up checks.
/// </summary>
public static class AgentSchedules
{
    public static readonly JobKey SelfCheck = new("self-check", "mizan");
    public static readonly JobKey Retention = new("retention", "mizan");

    public static IServiceCollection AddAgentSchedules(this IServiceCollection services, AgentOptions options)
    {
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = "mizan-agent";

                // Stopping the agent cancels a round's token instead of waiting out a long probe or restart.
                scheduler.ShutdownJobInterruption = ShutdownJobInterruption.Always;
            });

            // A trigger later than this counts as missed and follows its misfire instruction. Half the shorter interval:
            // a round that overran by more than that is skipped rather than started late.
            var shortest = options.Checks.Interval < options.Retention.Interval ? options.Checks.Interval : options.Retention.Interval;
            quartz.UseInMemoryStore(store => store.MisfireThreshold = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(500).Ticks, shortest.Ticks / 2)));
            quartz.UseDefaultThreadPool(2);

            // Checks start with the agent (after it has started serving); the clean-up waits one interval, so a
            // restart loop cannot turn into a loop of image removals.
            Schedule<SelfCheckJob>(quartz, SelfCheck, options.Checks.Interval, TimeSpan.Zero);
            Schedule<RetentionJob>(quartz, Retention, options.Retention.Interval, options.Retention.Interval);
        });
        services.AddQuartzHostedService(hosted =>
        {
            hosted.AwaitApplicationStarted = true;
            hosted.WaitForJobsToComplete = false;
        });
        return services;
    }

    private static void Schedule<[DynamicallyAccessedMembers(
        DynamicallyAccessedMemberTypes.PublicConstructors
        | DynamicallyAccessedMemberTypes.PublicProperties
        | DynamicallyAccessedMemberTypes.Interfaces)] TJob>(IQuartzBuilder quartz, JobKey key, TimeSpan interval, TimeSpan firstDelay)
        where TJob : class, IJob
    {
        quartz.AddJob<TJob>(job => job.WithIdentity(key).DisallowConcurrentExecution());
        quartz.AddTrigger(trigger =>
        {
            trigger.ForJob(key).WithIdentity($"{key.Name}-every-{interval}", key.Group);
            if (firstDelay > TimeSpan.Zero)
            {
                trigger.StartAt(DateTimeOffset.UtcNow + firstDelay);
            }
            else
            {
                trigger.StartNow();
            }

            trigger.WithSimpleSchedule(schedule => schedule
                .WithInterval(interval)
                .RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
        });
    }
}
