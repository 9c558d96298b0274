using Mizan.Agent.Apps;
namespace Mizan.Agent.Runtime.Containers;

/// <summary>Labels on every container the agent starts: how it finds its slots again after a restart.</summary>
public static class ContainerLabels
{
    public const string App = "mizan.app";
    public const string Slot = "mizan.slot";
    public const string Deployment = "mizan.deployment";
    public const string Image = "mizan.image";
    public const string Digest = "mizan.digest";

    public static string ContainerName(string app, Slot slot) => $"mizan-{app}-{SlotNames.Name(slot)}";
}
