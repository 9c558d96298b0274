using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Retention;

/// <param name="ExpiredRecordsDeleted">Those of the areas above (<see cref="IExpiringRecords"/>), by name: "audit entries".</param>
public sealed record RetentionReport(
    int ImagesRemoved,
    int ImagesKeptInUse,
    int DeploymentsDeleted,
    int IncidentsDeleted,
    IReadOnlyDictionary<string, int> ExpiredRecordsDeleted);

/// <summary>
/// The scheduled clean-up: images the agent deployed for each app beyond the ones its containers use and the last
/// Retention:KeepImages versions, then deployment history and closed incidents older than Retention:KeepHistoryFor
/// (images first: an image is known to be the agent's by the history), then the records of the areas above
/// (<see cref="IExpiringRecords"/>: the audit log, Retention:KeepAuditFor). An app whose lock is
/// held (a deploy may be pulling) is left for the next round.
/// </summary>
public sealed partial class RetentionRunner(
    AppCatalog apps,
    IContainerRuntime containers,
    DeploymentStore deployments,
    IncidentStore incidents,
    AppLocks locks,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<RetentionRunner> logger,
    IEnumerable<IExpiringRecords>? expiring = null)
{
    private readonly IExpiringRecords[] expiring = [.. expiring ?? []];

    /// <summary>How far back the history is read for the versions to keep and the repositories deployed.</summary>
    private const int HistoryRows = 200;

    public async Task<RetentionReport> RunAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.Retention;
        int removed = 0, inUse = 0;
        foreach (var app in apps.Names.Order(StringComparer.Ordinal))
        {
            if (locks.HolderOf(app) is { } holder)
            {
                LogSkipped(logger, app, holder.Operation.Value);
                continue;
            }

            try
            {
                var (appRemoved, appInUse) = await PruneImagesAsync(app, retention.KeepImages, cancellationToken);
                removed += appRemoved;
                inUse += appInUse;
            }
            catch (DependencyUnavailableException ex)
            {
                LogImagesFailed(logger, app, ex.Message);
            }
        }

        var cutoff = time.GetUtcNow() - retention.KeepHistoryFor;
        var deploymentsDeleted = await deployments.DeleteEndedBeforeAsync(cutoff, cancellationToken);
        var incidentsDeleted = await incidents.DeleteClosedBeforeAsync(cutoff, cancellationToken);
        LogDone(logger, removed, inUse, deploymentsDeleted, incidentsDeleted, cutoff);
        var expired = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var records in expiring)
        {
            var before = time.GetUtcNow() - records.KeepFor;
            expired[records.Name] = await records.DeleteBeforeAsync(before, cancellationToken);
            LogExpired(logger, expired[records.Name], records.Name, before);
        }

        return new RetentionReport(removed, inUse, deploymentsDeleted, incidentsDeleted, expired);
    }

    private async Task<(int Removed, int InUse)> PruneImagesAsync(string app, int keepImages, CancellationToken cancellationToken)
    {
        var options = apps.Get(app);
        var history = await deployments.ListAsync(app, HistoryRows, cancellationToken);
        var containerDigests = new List<string>();
        foreach (var slot in new[] { Slot.Blue, Slot.Green })
        {
            if (await containers.FindSlotContainerAsync(app, slot, cancellationToken) is { } container)
            {
                containerDigests.Add(container.Digest);
            }
        }

        var keep = ImageRetention.DigestsToKeep(
            containerDigests,
            history.Where(d => d.State == DeploymentState.Running).Select(d => d.Digest ?? ""),
            history.Where(d => d.State == DeploymentState.Succeeded).OrderByDescending(d => d.EndedAt).Select(d => d.Digest ?? ""),
            keepImages);

        var deployed = history.Select(d => d.Digest ?? "").Where(d => d.Length > 0).ToHashSet(StringComparer.Ordinal);

        // The app's repository, and any other (Apps:NAME:ImagePolicy:AllowedRepositories) it was deployed from.
        var repositories = history
            .Select(d => ImageReference.TryParse(d.Image, out var reference, out _) ? reference.Repository : null)
            .OfType<string>()
            .Append(options.Image)
            .Distinct(StringComparer.Ordinal);
        int removed = 0, inUse = 0;
        foreach (var repository in repositories)
        {
            foreach (var image in await containers.ListImagesAsync(repository, cancellationToken))
            {
                if (!ImageRetention.MayRemove(image.Digests, deployed, keep))
                {
                    continue;
                }

                var all = true;
                foreach (var reference in image.Tags.Concat(image.Digests))
                {
                    all &= await containers.RemoveImageReferenceAsync(reference, cancellationToken);
                }

                if (all)
                {
                    removed++;
                    LogRemoved(logger, app, string.Join(", ", image.Tags.Concat(image.Digests)));
                }
                else
                {
                    inUse++;
                }
            }
        }

        return (removed, inUse);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {App} is busy ({DeploymentId}); its images are left for the next round")]
    private static partial void LogSkipped(ILogger logger, string app, string deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: the images of {App} could not be pruned: {Reason}")]
    private static partial void LogImagesFailed(ILogger logger, string app, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: removed image {References} of {App}")]
    private static partial void LogRemoved(ILogger logger, string app, string references);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Deleted} {What} older than {Cutoff:o} deleted")]
    private static partial void LogExpired(ILogger logger, int deleted, string what, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {ImagesRemoved} image(s) removed, {ImagesInUse} kept because a container uses them; " +
        "{DeploymentsDeleted} deployment(s) and {IncidentsDeleted} closed incident(s) older than {Cutoff:o} deleted")]
    private static partial void LogDone(
        ILogger logger,
        int imagesRemoved,
        int imagesInUse,
        int deploymentsDeleted,
        int incidentsDeleted,
        DateTimeOffset cutoff);
}
