using Google.Protobuf.WellKnownTypes;
using Mizan.Agent.V1;

namespace Mizan.Control.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 34, 56, 789, TimeSpan.Zero);

    public static Timestamp At(double secondsAfterStart) =>
        Timestamp.FromDateTimeOffset(Start.AddSeconds(secondsAfterStart));

    public static DeploymentEvent Event(Step step, StepStatus status, string message, double at = 0, string id = "d-42") =>
        new() { DeploymentId = id, Step = step, Status = status, Message = message, At = At(at) };

    public static Deployment Deployment(DeploymentState state, string message = "") => new()
    {
        Id = "d-42",
        App = "web",
        Kind = DeploymentKind.Deploy,
        State = state,
        Image = "registry.example/web:v2",
        Digest = "sha256:abc",
        FromSlot = "blue",
        ToSlot = "green",
        StartedAt = At(0),
        EndedAt = At(12.5),
        Message = message,
    };
}
