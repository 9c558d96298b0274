using Quartz;

namespace Mizan.Agent.Retention;

/// <summary>Quartz's handle on one round of clean-up; the work is in <see cref="RetentionRunner"/>.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RetentionRunner runner) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(cancellationToken);
}
