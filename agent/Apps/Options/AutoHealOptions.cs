namespace Mizan.Agent.Apps.Options;

/// <summary>Per app (Apps:NAME:AutoHeal): what the agent does on its own when the live slot stops answering.</summary>
public sealed class AutoHealOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Consecutive failed checks of the live slot before the agent acts.</summary>
    public int FailuresBeforeAction { get; set; } = 3;
}
