using Quartz;

namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>Quartz's handle on one round of self-checks; the work is in <see cref="SelfCheckRunner"/>.</summary>
[DisallowConcurrentExecution]
public sealed class SelfCheckJob(SelfCheckRunner runner) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(cancellationToken);
}
