using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class MetricsAreComputedFromTheHistoryInTheAgentsDatabase(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task MizanctlMetricsPrintsTheHandWorkedFigures()
    {
        await StartAsync();
        // Ten days ago (B): d1 succeeded, commit 1 h before it ended. B+1d: d2 went live at +3 min and failed as a first
        // deploy would (Failed after its switch); d3 fixed it at B+1d+20m (rework). B+2d: d4 failed before its switch
        // (never in production). B+3d: d5 succeeded, commit 24 h before; an incident opened 10 min later and lasted 20 min.
        var b = DateTimeOffset.UtcNow.AddDays(-10);
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(Config.DataDirectory, "agent.db")}"))
        {
            await db.OpenAsync(Token);
            await SeedAsync(db, "d-20260101-000001-aaaaa1", b, b.AddMinutes(5), "Succeeded", commit: b.AddMinutes(-55));
            await SeedAsync(db, "d-20260101-000002-aaaaa2", b.AddDays(1), b.AddDays(1).AddMinutes(5), "Failed", switchedAt: b.AddDays(1).AddMinutes(3));
            await SeedAsync(
                db, "d-20260101-000003-aaaaa3", b.AddDays(1).AddMinutes(20), b.AddDays(1).AddMinutes(25), "Succeeded", commit: b.AddDays(1).AddMinutes(-95));
            await SeedAsync(db, "d-20260101-000004-aaaaa4", b.AddDays(2), b.AddDays(2).AddMinutes(1), "Failed");
            await SeedAsync(db, "d-20260101-000005-aaaaa5", b.AddDays(3), b.AddDays(3).AddMinutes(5), "Succeeded", commit: b.AddDays(2).AddMinutes(5));
            await ExecuteAsync(
                db,
                "INSERT INTO incidents (id, app, opened_at, closed_at, reason, resolution, deployment_id) "
                + "VALUES ('i1', $app, $opened, $closed, 'live slot not answering', 'switched to standby', 'd-20260101-000005-aaaaa5')",
                ("$app", AppName),
                ("$opened", b.AddDays(3).AddMinutes(15).ToUnixTimeMilliseconds()),
                ("$closed", b.AddDays(3).AddMinutes(35).ToUnixTimeMilliseconds()));
        }

        SqliteConnection.ClearAllPools();
        var json = await Ctl.RunAsync(["metrics", "--app", AppName, "--window", "30d", "--output", "json"], Token);
        var text = await Ctl.RunAsync(["metrics", "--app", AppName], Token);

        Assert.True(json.ExitCode == 0, json.ToString());
        var figures = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!);
        // d1 d2 d3 d5 reached production: 4 in 30 days, 0.93 a week: medium.
        Assert.Equal(4.0 / 30, figures["deployment_frequency"].GetProperty("value").GetDouble(), 6);
        Assert.Equal("PERFORMANCE_LEVEL_MEDIUM", figures["deployment_frequency"].GetProperty("level").GetString());
        // Lead times 1 h, 2 h, 24 h: median 2 h, elite.
        Assert.Equal(7200, figures["change_lead_time"].GetProperty("value").GetDouble(), 0);
        Assert.Equal(3, figures["change_lead_time"].GetProperty("sampleSize").GetInt32());
        Assert.Equal("PERFORMANCE_LEVEL_ELITE", figures["change_lead_time"].GetProperty("level").GetString());
        // d2 (failed after its switch) and d5 (incident 10 min later): 2 of 4.
        Assert.Equal(0.5, figures["change_failure_rate"].GetProperty("value").GetDouble(), 6);
        Assert.Equal("PERFORMANCE_LEVEL_LOW", figures["change_failure_rate"].GetProperty("level").GetString());
        // The incident 20 min; d2 from its switch (+3 min) to d3 live (+25 min) 22 min: median 21 min.
        Assert.Equal(1260, figures["failed_deployment_recovery_time"].GetProperty("value").GetDouble(), 0);
        Assert.Equal(2, figures["failed_deployment_recovery_time"].GetProperty("sampleSize").GetInt32());
        // d3 only: 1 of 4.
        Assert.Equal(0.25, figures["deployment_rework_rate"].GetProperty("value").GetDouble(), 6);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"DORA metrics for {AppName}", text.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"Change lead time\s+2h00m\s+3\s+elite", text.StandardOutput);
        Assert.Matches(@"Change failure rate\s+50%\s+4\s+low", text.StandardOutput);
        Assert.Matches(@"Failed deployment recovery time\s+21m00s\s+2\s+elite", text.StandardOutput);

        var refused = await Ctl.RunAsync(["metrics", "--app", "no-such-app"], Token);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("unknown app", refused.Output, StringComparison.Ordinal);
    }

    private async Task SeedAsync(
        SqliteConnection db,
        string id,
        DateTimeOffset started,
        DateTimeOffset ended,
        string state,
        DateTimeOffset? commit = null,
        DateTimeOffset? switchedAt = null)
    {
        await ExecuteAsync(
            db,
            "INSERT INTO deployments (id, app, kind, state, image, digest, commit_sha, commit_time, requested_by, started_at, ended_at, "
            + "from_slot, to_slot, message) "
            + "VALUES ($id, $app, 'Deploy', $state, 'seeded:v1', NULL, NULL, $commit, 'seeded', $started, $ended, NULL, 'blue', 'seeded')",
            ("$id", id), ("$app", AppName), ("$state", state), ("$commit", (object?)commit?.ToUnixTimeMilliseconds() ?? DBNull.Value),
            ("$started", started.ToUnixTimeMilliseconds()), ("$ended", ended.ToUnixTimeMilliseconds()));
        if (switchedAt is { } at)
        {
            await ExecuteAsync(
                db,
                "INSERT INTO deployment_events (deployment_id, sequence, at, step, status, message, details) "
                + "VALUES ($id, 1, $at, 'Switch', 'Succeeded', 'switched', '{}')",
                ("$id", id),
                ("$at", at.ToUnixTimeMilliseconds()));
        }
    }

    private async Task ExecuteAsync(SqliteConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(Token);
    }
}
