namespace Mizan.Agent.Runtime.Storage;

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels, by the pragma's own numbers.</summary>
public enum SqliteSynchronous
{
    /// <summary>In WAL mode a commit survives a crash of the agent, but an OS crash or power loss can lose the last ones.</summary>
    Normal = 1,

    /// <summary>Every commit is on disk (the WAL is fsynced) before the call returns.</summary>
    Full = 2,
}
