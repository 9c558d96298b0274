using Mizan.Agent.V1;

namespace Mizan.Bench;

/// <summary>What the agent says about the app right now: which slot is live, which is the standby, and their ports.</summary>
public sealed record AppSnapshot(string LiveSlot, string LiveImage, int LivePort, string StandbySlot, string StandbyImage, int StandbyPort)
{
    /// <summary>The standby's container state: "running", "exited", "created" or "missing"; empty when there is no standby slot.</summary>
    public string StandbyState { get; init; } = "";

    /// <summary>The tag to deploy next so the version really changes: the one of the two that is not live.</summary>
    public string OtherTag(IReadOnlyList<string> tags) =>
        tags.FirstOrDefault(tag => !LiveImage.EndsWith(":" + tag, StringComparison.Ordinal) && !LiveImage.Equals(tag, StringComparison.Ordinal)) ?? tags[0];

    public static async Task<AppSnapshot> ReadAsync(AgentService.AgentServiceClient agent, string app, CancellationToken cancellationToken)
    {
        var status = await agent.GetStatusAsync(
            new GetStatusRequest { App = app },
            deadline: DateTime.UtcNow.AddSeconds(10),
            cancellationToken: cancellationToken);
        var appStatus = status.Apps.FirstOrDefault(a => a.App == app)
            ?? throw new InvalidOperationException($"the agent does not know app '{app}'");
        var live = appStatus.Slots.FirstOrDefault(s => s.Live);
        var standby = appStatus.Slots.FirstOrDefault(s => !s.Live);
        return new AppSnapshot(
            live?.Slot ?? "", live?.Image ?? "", live?.Port ?? 0,
            standby?.Slot ?? "", standby?.Image ?? "", standby?.Port ?? 0)
        {
            StandbyState = standby?.State ?? "",
        };
    }
}
