using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Containers;

public sealed partial class DockerContainerRuntime(
    IDockerClient docker,
    RegistryCredentialStore credentials,
    DockerEndpoint endpoint,
    IOptions<AgentOptions> options,
    ILogger<DockerContainerRuntime> logger) : IContainerRuntime
{
    // Every engine call has a deadline, so a hung engine fails a deploy with a clear message instead of hanging it.
    private static readonly TimeSpan EngineCallTimeout = TimeSpan.FromSeconds(30);

    public Task PingAsync(CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout, PingCoreAsync, cancellationToken);

    public Task<PulledImage> PullAsync(ImageReference image, CancellationToken cancellationToken) =>
        WithDeadlineAsync(options.Value.Agent.PullTimeout, token => PullCoreAsync(image, token), cancellationToken);

    public Task<SlotContainer?> FindSlotContainerAsync(string app, Slot slot, CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout, token => FindSlotContainerCoreAsync(app, slot, token), cancellationToken);

    public Task<StartedSlot> StartSlotAsync(SlotContainerSpec spec, CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout, token => StartSlotCoreAsync(spec, token), cancellationToken);

    public Task StartExistingAsync(string containerId, CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout, token => StartExistingCoreAsync(containerId, token), cancellationToken);

    public Task StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout + grace, token => StopCoreAsync(containerId, grace, token), cancellationToken);

    public Task<ContainerRunState?> InspectStateAsync(string containerId, CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout, token => InspectStateCoreAsync(containerId, token), cancellationToken);

    public Task<string> GetLogTailAsync(string containerId, int lines, CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout, token => GetLogTailCoreAsync(containerId, lines, token), cancellationToken);

    public Task RestartAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout + grace, token => RestartCoreAsync(containerId, grace, token), cancellationToken);

    public Task<string> GetDataRootAsync(CancellationToken cancellationToken) =>
        WithDeadlineAsync(
            EngineCallTimeout,
            async token => (await CallEngineAsync(() => docker.System.GetSystemInfoAsync(token))).DockerRootDir,
            cancellationToken);

    public Task<IReadOnlyList<LocalImage>> ListImagesAsync(string repository, CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout, token => ListImagesCoreAsync(repository, token), cancellationToken);

    public Task<bool> RemoveImageReferenceAsync(string reference, CancellationToken cancellationToken) =>
        WithDeadlineAsync(EngineCallTimeout, token => RemoveImageReferenceCoreAsync(reference, token), cancellationToken);

    private async Task<T> WithDeadlineAsync<T>(TimeSpan limit, Func<CancellationToken, Task<T>> call, CancellationToken callerToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        deadline.CancelAfter(limit);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(
                $"the Docker engine at {endpoint.Uri} did not finish " +
                    $"within {limit.TotalSeconds:0} s; check `systemctl status docker` (and Agent:PullTimeout for large images)");
        }
    }

    private async Task<bool> PingCoreAsync(CancellationToken cancellationToken)
    {
        await CallEngineAsync(() => docker.System.PingAsync(cancellationToken));
        return true;
    }

    private async Task<PulledImage> PullCoreAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var progress = new Progress<JSONMessage>(message =>
        {
            if (message.Error is { Message: { Length: > 0 } text })
            {
                lock (errors)
                {
                    errors.Add(text);
                }
            }
        });
        var parameters = new ImagesCreateParameters
        {
            FromImage = image.Repository,
            Tag = image.Digest ?? image.Tag ?? "latest",
        };
        try
        {
            await docker.Images.CreateImageAsync(parameters, credentials.For(image.Domain), progress, cancellationToken);
        }
        catch (DockerApiException ex)
        {
            throw PullFailed(image, FirstLine(ex.ResponseBody), ex);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }

        // Progress callbacks run on the thread pool; give the last ones a moment to land before reading them.
        await Task.Yield();
        lock (errors)
        {
            if (errors.Count > 0)
            {
                throw PullFailed(image, errors[^1], null);
            }
        }

        if (image.Digest is not null)
        {
            // The digest is already known; the labels only feed the lead time, so an engine that cannot inspect by digest costs nothing more.
            try
            {
                var byDigest = await CallEngineAsync(() => docker.Images.InspectImageAsync(image.ToString(), cancellationToken));
                return new PulledImage(image, image.Digest, LabelsOf(byDigest));
            }
            catch (DockerApiException)
            {
                return new PulledImage(image, image.Digest);
            }
        }

        var inspected = await CallEngineAsync(() => docker.Images.InspectImageAsync(image.ToString(), cancellationToken));
        var labels = LabelsOf(inspected);

        var digest = DigestFor(image, inspected)
            ?? throw new DependencyUnavailableException($"pulled {image} but the engine reports no registry digest for it; is it really in the registry?");
        return new PulledImage(image, digest, labels);
    }

    private async Task<SlotContainer?> FindSlotContainerCoreAsync(string app, Slot slot, CancellationToken cancellationToken)
    {
        var found = await ListSlotAsync(app, slot, cancellationToken);
        // Right after a replacement the killed container may still be listed beside the new one until it is removed.
        var container = found.OrderByDescending(c => c.State == "running").ThenByDescending(c => c.Created).FirstOrDefault();
        if (container is null)
        {
            return null;
        }

        string Label(string key) => container.Labels.TryGetValue(key, out var value) ? value : "";
        return new SlotContainer(
            container.ID,
            app,
            slot,
            Label(ContainerLabels.Image),
            Label(ContainerLabels.Digest),
            Label(ContainerLabels.Deployment),
            container.State);
    }

    /// <summary>
    /// The engine takes longest to kill a running container (it waits for the exit) and to start one; the port is free
    /// only after the kill. So the new container is created while the old one dies, under a name of its own, and only
    /// the start waits for the kill. Removing the dead container and renaming the new one follow in the background.
    /// </summary>
    private async Task<StartedSlot> StartSlotCoreAsync(SlotContainerSpec spec, CancellationToken cancellationToken)
    {
        var name = ContainerLabels.ContainerName(spec.App, spec.Slot);
        var old = await ListSlotAsync(spec.App, spec.Slot, cancellationToken);

        // A container left under the slot's name without our labels would block the rename; the name is ours.
        if (!old.Any(container => container.Names.Contains("/" + name)))
        {
            await RemoveAsync(name, cancellationToken);
        }

        var parameters = SlotContainerParameters.Build(spec);
        if (old.Count > 0)
        {
            parameters.Name = $"{name}-{spec.DeploymentId}";
        }

        // Only a running container holds the port; anything else (exited, restarting, paused) is simply removed.
        var running = old.Where(container => container.State == "running").ToList();
        var clearing = Task.WhenAll(
            running.Select(container => KillAsync(container.ID, cancellationToken))
                .Concat(old.Except(running).Select(container => RemoveAsync(container.ID, cancellationToken))));
        var creating = CallEngineAsync(() => docker.Containers.CreateContainerAsync(parameters, cancellationToken));
        try
        {
            await Task.WhenAll(clearing, creating);
        }
        catch when (creating.IsCompletedSuccessfully)
        {
            await RemoveAsync((await creating).ID, CancellationToken.None);
            throw;
        }

        var created = await creating;
        await StartExistingCoreAsync(created.ID, cancellationToken);
        var container = new SlotContainer(created.ID, spec.App, spec.Slot, spec.Image.Reference.ToString(), spec.Image.Digest, spec.DeploymentId, "running");
        var settled = old.Count == 0 ? Task.CompletedTask : SettleAsync(spec, running, created.ID, name);
        return new StartedSlot(container, settled);
    }

    private async Task SettleAsync(SlotContainerSpec spec, IReadOnlyList<ContainerListResponse> killed, string createdId, string name)
    {
        // Not the deploy's token: a tidy-up that began finishes, and a deploy that ends does not leave it half done.
        using var deadline = new CancellationTokenSource(EngineCallTimeout);
        try
        {
            await Task.WhenAll(killed.Select(container => RemoveAsync(container.ID, deadline.Token)));
            await CallEngineAsync(() => docker.Containers.RenameContainerAsync(createdId, new ContainerRenameParameters { NewName = name }, deadline.Token));
        }
        catch (Exception ex) when (ex is DockerApiException or DependencyUnavailableException or OperationCanceledException)
        {
            LogNotSettled(logger, spec.App, spec.Slot.Name(), Short(createdId), ex.Message);
        }
    }

    private async Task KillAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = "SIGKILL" }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Gone, or it stopped on its own meanwhile (not running): either way it holds no port.
            await RemoveAsync(containerId, cancellationToken);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }
    }

    private async Task<bool> StartExistingCoreAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken);
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotModified)
        {
            // Already running.
            return true;
        }
        catch (DockerApiException ex)
        {
            throw new DependencyUnavailableException($"the Docker engine could not start container {Short(containerId)}: {FirstLine(ex.ResponseBody)}", ex);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }
    }

    private async Task<bool> StopCoreAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.StopContainerAsync(
                containerId,
                new ContainerStopParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds },
                cancellationToken);
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone: the goal of stopping it is met.
            return true;
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }
    }

    private async Task<bool> RestartCoreAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.RestartContainerAsync(
                containerId,
                new ContainerRestartParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds },
                cancellationToken);
            return true;
        }
        catch (DockerContainerNotFoundException ex)
        {
            throw new DependencyUnavailableException($"container {Short(containerId)} is gone and cannot be restarted", ex);
        }
        catch (DockerApiException ex)
        {
            throw new DependencyUnavailableException($"the Docker engine could not restart container {Short(containerId)}: {FirstLine(ex.ResponseBody)}", ex);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }
    }

    private async Task<IReadOnlyList<LocalImage>> ListImagesCoreAsync(string repository, CancellationToken cancellationToken)
    {
        var parameters = new ImagesListParameters
        {
            All = false,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["reference"] = new Dictionary<string, bool> { [repository] = true } },
        };
        var listed = await CallEngineAsync(() => docker.Images.ListImagesAsync(parameters, cancellationToken));

        // The reference filter matches tags only; an image pulled by digest and never tagged shows up by its digest.
        var all = await CallEngineAsync(() => docker.Images.ListImagesAsync(new ImagesListParameters { All = false }, cancellationToken));
        var tagPrefix = repository + ":";
        var digestPrefix = repository + "@";
        return listed.Concat(all)
            .DistinctBy(image => image.ID)
            .Select(image => new LocalImage(
                image.ID,
                [.. (image.RepoTags ?? []).Where(tag => tag.StartsWith(tagPrefix, StringComparison.Ordinal))],
                [.. (image.RepoDigests ?? []).Where(digest => digest.StartsWith(digestPrefix, StringComparison.Ordinal))],
                new DateTimeOffset(DateTime.SpecifyKind(image.Created, DateTimeKind.Utc))))
            .Where(image => image.Tags.Count > 0 || image.Digests.Count > 0)
            .ToList();
    }

    private async Task<bool> RemoveImageReferenceCoreAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = false }, cancellationToken);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // A container (running or stopped) still uses it.
            return false;
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }
    }

    private async Task<ContainerRunState?> InspectStateCoreAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            var inspected = await docker.Containers.InspectContainerAsync(containerId, cancellationToken);
            var state = inspected.State;
            return state is null
                ? null
                : new ContainerRunState(
                    state.Running,
                    state.Restarting,
                    state.ExitCode,
                    inspected.RestartCount,
                    state.Status,
                    state.Health?.Status,
                    state.OOMKilled);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }
    }

    private async Task<string> GetLogTailCoreAsync(string containerId, int lines, CancellationToken cancellationToken)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Tail = lines.ToString(System.Globalization.CultureInfo.InvariantCulture)
        };
        try
        {
            using var stream = await docker.Containers.GetContainerLogsAsync(containerId, parameters, cancellationToken);
            // Bytes, decoded once at the end (a read may stop inside a multi-byte character); only the last
            // LogTail.MaxRawBytes are kept, however much the app printed.
            var kept = new byte[2 * LogTail.MaxRawBytes];
            var length = 0;
            var cut = false;
            while (true)
            {
                if (length == kept.Length)
                {
                    kept.AsSpan(length - LogTail.MaxRawBytes).CopyTo(kept);
                    length = LogTail.MaxRawBytes;
                    cut = true;
                }

                var read = await stream.ReadOutputAsync(kept, length, kept.Length - length, cancellationToken);
                if (read.EOF)
                {
                    break;
                }

                length += read.Count;
            }

            return LogTail.FromBytes(kept.AsSpan(0, length), cut);
        }
        catch (DockerContainerNotFoundException)
        {
            return "";
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }
    }

    private async Task<IList<ContainerListResponse>> ListSlotAsync(string app, Slot slot, CancellationToken cancellationToken)
    {
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.App}={app}"] = true, [$"{ContainerLabels.Slot}={slot.Name()}"] = true },
            },
        };
        return await CallEngineAsync(() => docker.Containers.ListContainersAsync(parameters, cancellationToken));
    }

    private async Task RemoveAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(idOrName, new ContainerRemoveParameters { Force = true }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }
    }

    private static Dictionary<string, string>? LabelsOf(ImageInspectResponse inspected) =>
        inspected.Config?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : null;

    private static string? DigestFor(ImageReference image, ImageInspectResponse inspected)
    {
        var prefix = image.Repository + "@";
        return inspected.RepoDigests?.FirstOrDefault(d => d.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    private async Task<T> CallEngineAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw EngineUnreachable(ex);
        }
        catch (DockerApiException ex)
        {
            throw new DependencyUnavailableException($"the Docker engine refused the request: {FirstLine(ex.ResponseBody)}", ex);
        }
    }

    private async Task CallEngineAsync(Func<Task> call) =>
        await CallEngineAsync(async () =>
        {
            await call();
            return true;
        });

    private DependencyUnavailableException EngineUnreachable(Exception ex) =>
        new(
            $"the Docker engine at {endpoint.Uri} cannot be reached ({ex.GetBaseException().Message}); is dockerd running? check `systemctl status docker`",
            ex);

    private static Exception PullFailed(ImageReference image, string reason, Exception? inner) =>
        reason.Contains("not found", StringComparison.OrdinalIgnoreCase) || reason.Contains("manifest unknown", StringComparison.OrdinalIgnoreCase)
            ? new NotFoundException($"image {image} was not found in its registry: {reason}")
            : new DependencyUnavailableException(
                $"pulling {image} failed: {reason}; check that the registry answers and the agent's credentials for it",
                inner);

    private static bool IsConnectionFailure(Exception ex) =>
        ex is HttpRequestException or SocketException or IOException or TimeoutException
        || ex.InnerException is HttpRequestException or SocketException or IOException;

    /// <summary>The engine answers errors as {"message": "..."}; show the message, not the JSON.</summary>
    private static string FirstLine(string? text)
    {
        var line = (text ?? "").Split('\n')[0].Trim();
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } value ? value : line;
        }
        catch (System.Text.Json.JsonException)
        {
            return line;
        }
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Slot {Slot} of {App}: could not tidy up after starting container {Container}: {Reason}; its next start removes what is left")]
    private static partial void LogNotSettled(ILogger logger, string app, string slot, string container, string reason);
}
