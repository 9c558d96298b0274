namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>Hears every self-check result as it is recorded, for metrics. Called on the check's path: be quick and do not throw.</summary>
public interface ICheckObserver
{
    void CheckRecorded(CheckResult result);
}
