using Mizan.Agent.Retention;

namespace Mizan.Agent.Tests.Retention;

public class ImageRetentionTests
{
    [Fact]
    public void DigestsToKeep_LiveStandbyRunningAndTheLastVersions()
    {
        var keep = ImageRetention.DigestsToKeep(
            containerDigests: ["sha256:live", "sha256:standby", ""],
            runningDeploymentDigests: ["sha256:pulling"],
            succeededNewestFirst: ["sha256:live", "sha256:live", "sha256:older", "sha256:oldest"],
            keepVersions: 2);

        Assert.Equal(["sha256:live", "sha256:older", "sha256:pulling", "sha256:standby"], keep.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DigestsToKeep_ZeroVersions_KeepsOnlyWhatContainersUse()
    {
        Assert.Equal(["sha256:live"], ImageRetention.DigestsToKeep(["sha256:live"], [], ["sha256:old"], 0));
    }

    [Fact]
    public void MayRemove_DeployedImageNotKept()
    {
        var deployed = new HashSet<string> { "sha256:live", "sha256:old" };
        var keep = new HashSet<string> { "sha256:live" };

        Assert.True(ImageRetention.MayRemove(["reg:5000/web@sha256:old"], deployed, keep));
        Assert.False(ImageRetention.MayRemove(["reg:5000/web@sha256:live"], deployed, keep));
        Assert.False(ImageRetention.MayRemove([], deployed, keep));
    }

    [Fact]
    public void MayRemove_ImageTheAgentNeverDeployed_Stays()
    {
        Assert.False(ImageRetention.MayRemove(["reg:5000/web@sha256:pushed-by-ci"], new HashSet<string> { "sha256:live" }, new HashSet<string>()));
    }

    [Fact]
    public void DigestOf_ReferenceWithRegistryPort()
    {
        Assert.Equal("sha256:abc", ImageRetention.DigestOf("127.0.0.1:5000/web@sha256:abc"));
    }
}
