namespace Mizan.Bench.Modes;

/// <summary>How to start mizan-agent: its Native AOT publish (what the release ships for x64) or the Release build under dotnet.</summary>
public sealed record AgentBinary(string Program, IReadOnlyList<string> LeadingArguments, string Description);
