namespace Mizan.Agent.Apps;

// The agent's error vocabulary. Each maps to one gRPC status in Api/ErrorMappingInterceptor;
// messages are written for the person who reads them in CI: what went wrong and what to do.

/// <summary>The request is malformed or names something the configuration does not declare.</summary>
public sealed class InvalidRequestException(string message) : Exception(message);

/// <summary>Another operation holds the app's lock: the caller should wait for it and try again.</summary>
public sealed class LockHeldException(string message, string app, OperationId holder, string what, DateTimeOffset since) : Exception(message)
{
    public string App { get; } = app;

    public OperationId Holder { get; } = holder;

    public string What { get; } = what;

    public DateTimeOffset Since { get; } = since;
}

/// <summary>Which state of a slot refused a primitive step; each reaches the client as its own reason.</summary>
public enum SlotPrecondition
{
    /// <summary>The slot is live, so its container must not be replaced.</summary>
    IsLive,

    /// <summary>The slot has no container to check.</summary>
    HasNoContainer,

    /// <summary>The slot did not pass its health check, so it must not receive traffic.</summary>
    Unhealthy,

    /// <summary>The slot holds a build that never went live and passed its verify (a failed or interrupted deploy's), so it must not receive traffic.</summary>
    NeverServed,

    /// <summary>The slot holds an image the app's image policy no longer allows (it narrowed since), so it must not receive traffic.</summary>
    ImageNotAllowed,
}

/// <summary>The slot is not in a state that allows the step; retrying will not help until the slot changes.</summary>
public sealed class SlotPreconditionException(SlotPrecondition precondition, string message) : Exception(message)
{
    public SlotPrecondition Precondition { get; } = precondition;
}

/// <summary>A dependency (Docker engine, nginx, a registry) could not be reached or refused to work.</summary>
public sealed class DependencyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The thing asked for (a deployment id) does not exist.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The caller may not do this: a right it lacks, or an image the app's policy does not allow.</summary>
public sealed class PermissionDeniedException(string message) : Exception(message);

/// <summary>The caller sends changes faster than its allowance.</summary>
public sealed class RateLimitedException(string message) : Exception(message);
