using System.Globalization;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>The checks that concern the whole agent: Docker, nginx, disk space, the listener's certificate.</summary>
public sealed class AgentChecks(
    IContainerRuntime containers,
    INginxControl nginx,
    ITrafficRouter router,
    ListenerCertificate certificate,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    private string? dockerDataRoot;

    private SelfCheckOptions Checks => options.Value.Checks;

    public IReadOnlyList<PlannedCheck> Plan()
    {
        var planned = new List<PlannedCheck>
        {
            new(CheckNames.Docker, "", DockerAsync),
            new(CheckNames.Nginx, "", NginxAsync),
        };
        if (router.Mode == TrafficMode.Redirect)
        {
            planned.Add(new PlannedCheck(CheckNames.TrafficRules, "", TrafficRulesAsync));
        }

        // The data root comes from the engine; until it has answered once, only the agent's own directory is measured.
        foreach (var path in new[] { dockerDataRoot, options.Value.Agent.DataDirectory }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            planned.Add(new PlannedCheck(
                CheckNames.Disk(path),
                "",
                _ => Task.FromResult(DiskSpace.Measure(path, Checks.DiskFreeWarningPercent, Checks.DiskFreeFailingPercent))));
        }

        if (certificate.Certificate is not null)
        {
            planned.Add(new PlannedCheck(CheckNames.Certificate, "", _ => Task.FromResult(Certificate())));
        }

        return planned;
    }

    private async Task<CheckOutcome> DockerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await containers.PingAsync(cancellationToken);
            dockerDataRoot ??= await containers.GetDataRootAsync(cancellationToken);
            return CheckOutcome.Ok("the Docker engine answers");
        }
        catch (DependencyUnavailableException ex)
        {
            return CheckOutcome.Failing(ex.Message);
        }
    }

    /// <summary>The fallback for nftables' change notifications: compared, and put back, at every check.</summary>
    private async Task<CheckOutcome> TrafficRulesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await router.RepairAsync(cancellationToken) is { } repair
                ? CheckOutcome.Warning($"the redirects had been changed behind the agent's back (found {repair.Found}) and were put back")
                : CheckOutcome.Ok("the kernel holds the recorded redirects");
        }
        catch (TrafficSwitchException ex)
        {
            return CheckOutcome.Failing($"{ex.Message}; traffic may not reach the live slots");
        }
    }

    private async Task<CheckOutcome> NginxAsync(CancellationToken cancellationToken)
    {
        try
        {
            var master = await nginx.GetMasterStateAsync(cancellationToken);
            var test = await nginx.TestConfigurationAsync(cancellationToken);
            if (!master.Running)
            {
                return CheckOutcome.Failing(test.Valid ? master.Message : $"{master.Message}; and its configuration is invalid: {FirstLine(test.Output)}");
            }

            return test.Valid
                ? CheckOutcome.Ok($"{master.Message}; configuration valid")
                : CheckOutcome.Failing($"{master.Message}, but `nginx -t` fails: {FirstLine(test.Output)}; the next switch would be refused");
        }
        catch (DependencyUnavailableException ex)
        {
            return CheckOutcome.Failing(ex.Message);
        }
    }

    private CheckOutcome Certificate()
    {
        var served = certificate.Certificate!;
        var expires = new DateTimeOffset(served.NotAfter.ToUniversalTime());
        var left = expires - time.GetUtcNow();
        var when = expires.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (left <= TimeSpan.Zero)
        {
            return CheckOutcome.Failing(
                $"the TLS listener's certificate expired at {when}; clients refuse it: replace it (Security:Tcp:CertificatePath) and restart the agent");
        }

        var days = string.Create(CultureInfo.InvariantCulture, $"{left.TotalDays:0.#} days");
        return left < Checks.CertificateWarningBefore
            ? CheckOutcome.Warning($"the TLS listener's certificate expires in {days} ({when}); replace it before then")
            : CheckOutcome.Ok($"the TLS listener's certificate expires in {days} ({when})");
    }

    private static string FirstLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(
                line => line.Contains("emerg", StringComparison.Ordinal) || line.Contains("error", StringComparison.OrdinalIgnoreCase))
            ?? lines.FirstOrDefault()
            ?? "(no output)";
    }
}
