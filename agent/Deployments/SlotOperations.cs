using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Deployments;

/// <summary>Pull, start and check for one app's slot: the building blocks of deploys, rollbacks and the primitive RPCs.</summary>
public sealed class SlotOperations(IContainerRuntime containers, SlotHealthGate gate)
{
    /// <summary>Replaces what stands in the slot with a started container; see <see cref="StartedSlot.Settled"/> for what follows.</summary>
    public async Task<StartedSlot> StartAsync(
        string app,
        AppOptions options,
        Slot slot,
        PulledImage image,
        string deploymentId,
        CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.EnvFile.Length > 0)
        {
            try
            {
                foreach (var (key, value) in EnvFile.Parse(await File.ReadAllTextAsync(options.EnvFile, cancellationToken)))
                {
                    environment[key] = value;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new InvalidRequestException($"app '{app}': cannot use EnvFile {options.EnvFile}: {ex.Message}; fix the file or Apps:{app}:EnvFile");
            }
        }

        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        var spec = new SlotContainerSpec(
            app,
            slot,
            AppCatalog.PortOf(options, slot),
            image,
            deploymentId,
            options.Network,
            options.ContainerPort,
            environment,
            options.Volumes,
            options.Container);
        return await containers.StartSlotAsync(spec, cancellationToken);
    }

    public Task<HealthGateResult> WaitHealthyAsync(AppOptions options, Slot slot, string containerId, CancellationToken cancellationToken) =>
        gate.WaitHealthyAsync(containerId, AppCatalog.PortOf(options, slot), options.Health, cancellationToken);

    /// <summary>The check step's verdict: the last status code always, the app's log tail when it failed.</summary>
    public static string RequireHealthy(HealthGateResult health, Dictionary<string, string> details)
    {
        details["status_code"] = health.LastStatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!health.Healthy)
        {
            details["log_tail"] = health.LogTail;
            throw new StepFailedException(DeploymentStep.Check, health.Message);
        }

        return health.Message;
    }

    /// <summary>A quick look at a slot that should already be serving.</summary>
    /// <param name="countRestartsAsFailure">See <see cref="SlotHealthGate.WaitHealthyAsync"/>; false for a slot that has served for a while.</param>
    public async Task<HealthGateResult> ProbeAsync(
        string app,
        AppOptions options,
        Slot slot,
        CancellationToken cancellationToken,
        bool countRestartsAsFailure = true)
    {
        var container = await containers.FindSlotContainerAsync(app, slot, cancellationToken);
        if (container is null)
        {
            return new HealthGateResult(false, $"no container in slot {slot.Name()}", 0, "");
        }

        return await ProbeAsync(options, container, cancellationToken, countRestartsAsFailure);
    }

    /// <summary>As above, for a container already found: the engine is not asked again which one stands in the slot.</summary>
    public Task<HealthGateResult> ProbeAsync(
        AppOptions options,
        SlotContainer container,
        CancellationToken cancellationToken,
        bool countRestartsAsFailure = true) =>
        gate.ProbeOnceAsync(container.Id, AppCatalog.PortOf(options, container.Slot), options.Health, cancellationToken, countRestartsAsFailure);
}
