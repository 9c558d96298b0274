namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>What one check found, before the runner stamps it with its name, time and duration.</summary>
public sealed record CheckOutcome(CheckStatus Status, string Message)
{
    public static CheckOutcome Ok(string message) => new(CheckStatus.Ok, message);

    public static CheckOutcome Warning(string message) => new(CheckStatus.Warning, message);

    public static CheckOutcome Failing(string message) => new(CheckStatus.Failing, message);
}

/// <summary>A check the runner will run this round.</summary>
public sealed record PlannedCheck(string Name, string App, Func<CancellationToken, Task<CheckOutcome>> Run);
