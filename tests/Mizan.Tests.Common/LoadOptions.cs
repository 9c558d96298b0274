namespace Mizan.Tests.Common;

/// <summary>How hard and how long <see cref="LoadGenerator"/> pushes.</summary>
public sealed record LoadOptions(int Workers = 4, bool KeepAlive = false, TimeSpan? MaxDuration = null, int MaxRequests = 100_000, string Path = "/")
{
    public TimeSpan Duration => MaxDuration ?? TimeSpan.FromMinutes(2);
}
