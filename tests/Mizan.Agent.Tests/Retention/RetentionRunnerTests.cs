using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Access.Audit;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Retention;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Tests.Retention;

/// <summary>The clean-up against a real SQLite file, with no app declared (so no image is looked at).</summary>
public sealed class RetentionRunnerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-retention-").FullName;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly AgentDatabase database;
    private readonly AuditStore audit;
    private readonly RetentionRunner runner;

    public RetentionRunnerTests()
    {
        var options = Options.Create(new AgentOptions { Agent = { DataDirectory = directory }, Retention = { KeepAuditFor = TimeSpan.FromDays(90) } });
        database = new AgentDatabase(options);
        audit = new AuditStore(database);
        runner = new RetentionRunner(
            new AppCatalog(options),
            containers: null!,
            new DeploymentStore(database),
            new IncidentStore(database),
            new AppLocks(time),
            options,
            time,
            NullLogger<RetentionRunner>.Instance,
            [new AuditExpiry(audit, options)]);
    }

    public void Dispose()
    {
        database.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_AuditEntriesOlderThanKeepAuditFor_AreDeletedAndYoungerOnesKept()
    {
        await AuditAsync("old", time.GetUtcNow().AddDays(-91));
        await AuditAsync("older", time.GetUtcNow().AddDays(-400));
        await AuditAsync("recent", time.GetUtcNow().AddDays(-89));
        await AuditAsync("today", time.GetUtcNow());

        var report = await runner.RunAsync(CancellationToken.None);

        Assert.Equal(2, report.ExpiredRecordsDeleted["audit entries"]);
        var left = await audit.ListAsync(null, null, 100, CancellationToken.None);
        Assert.Equal(["today", "recent"], left.Select(entry => entry.Detail));
    }

    private Task AuditAsync(string detail, DateTimeOffset at) =>
        audit.AppendAsync(new AuditRecord(at, "ci", null, "deployer", "Deploy", "web", detail, "127.0.0.1:5000", "OK", null), CancellationToken.None);
}
