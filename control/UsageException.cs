namespace Mizan.Control;

/// <summary>Bad arguments or input detected by mizanctl itself; exits with <see cref="ExitCodes.Usage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
