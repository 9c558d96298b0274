using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Tests.Deployments;

public class RollbackPlanTests
{
    private const string Digest = ImagePolicyApps.Digest;

    private static AppOptions App(bool digestsOnly = false, params string[] allowed) => ImagePolicyApps.Web(digestsOnly, allowed);

    private static SlotContainer Standby(string image) => new("c0ffee0123456789", "web", Slot.Green, image, Digest, "d-1", "running");

    private static DeploymentRecord Release(string image) => new(
        "d-1", "web", DeploymentKind.Deploy, DeploymentState.Succeeded, image, Digest, null, null, "ci",
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, "green", "live", null);

    [Fact]
    public void RequireAllowed_StandbyFromARepositoryNoLongerAllowed_ThrowsPermissionDenied()
    {
        var plan = new RollbackPlan(Standby("localhost:5000/web-canary:v1"), null);

        var error = Assert.Throws<PermissionDeniedException>(() => plan.RequireAllowed("web", App(), Slot.Blue));

        Assert.Contains("the standby in slot green is localhost:5000/web-canary:v1", error.Message, StringComparison.Ordinal);
        Assert.Contains("image policy", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing changed, traffic stays on slot blue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireAllowed_PreviousReleaseFromARepositoryNoLongerAllowed_ThrowsPermissionDenied()
    {
        var plan = new RollbackPlan(null, Release("ghcr.io/org/web:v1"));

        var error = Assert.Throws<PermissionDeniedException>(() => plan.RequireAllowed("web", App(false, "ghcr.io/other/"), Slot.Blue));

        Assert.Contains("the previous release (deployment d-1) is ghcr.io/org/web:v1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Apps:web:ImagePolicy:AllowedRepositories", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:5000/web:v1")]
    [InlineData("ghcr.io/org/team/web:v1")]
    public void RequireAllowed_StandbyTheCurrentPolicyAllows_Passes(string image)
    {
        new RollbackPlan(Standby(image), null).RequireAllowed("web", App(false, "ghcr.io/org/"), Slot.Blue);
    }

    [Fact]
    public void RequireAllowed_ReleaseDeployedByTagWhenDigestsOnly_Passes()
    {
        // The rollback runs the recorded digest, never the tag, so DigestsOnly holds.
        new RollbackPlan(null, Release("localhost:5000/web:v1")).RequireAllowed("web", App(digestsOnly: true), Slot.Blue);
    }

    [Fact]
    public void RequireAllowed_MalformedStandbyLabel_ThrowsPermissionDenied()
    {
        var error = Assert.Throws<PermissionDeniedException>(() => new RollbackPlan(Standby("not an image"), null).RequireAllowed("web", App(), Slot.Blue));

        Assert.Contains("not a well-formed image reference", error.Message, StringComparison.Ordinal);
    }
}
