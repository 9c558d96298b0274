namespace Mizan.Agent.Apps;

// The agent's error vocabulary. Each maps to one gRPC status in Api/ErrorMappingInterceptor;
// messages are written for the person who reads them in CI: what went wrong and what to do.

/// <summary>The request is malformed or names something the configuration does not declare.</summary>
public sealed class InvalidRequestException(string message) : Exception(message);

/// <summary>The request conflicts with the app's current state, e.g. a deploy of that app is running.</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>A dependency (Docker engine, nginx, a registry) could not be reached or refused to work.</summary>
public sealed class DependencyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The thing asked for (a deployment id) does not exist.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The caller may not do this: a right it lacks, or an image the app's policy does not allow.</summary>
public sealed class PermissionDeniedException(string message) : Exception(message);

/// <summary>The caller sends changes faster than its allowance.</summary>
public sealed class RateLimitedException(string message) : Exception(message);
