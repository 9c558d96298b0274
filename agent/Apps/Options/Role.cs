namespace Mizan.Agent.Apps.Options;

/// <summary>What a caller may do; configured per trusted client, checked on every call.</summary>
public enum Role
{
    /// <summary>Status, history, watch, health, audit.</summary>
    Viewer,

    /// <summary>Also deploy, rollback and the primitives, for the apps listed for it.</summary>
    Deployer,

    /// <summary>Everything.</summary>
    Admin,
}
