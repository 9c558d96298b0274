using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Tests.Runtime.Traffic;

public class NginxPidFileTests
{
    [Fact]
    public void FromConfiguration_PidDirective()
    {
        Assert.Equal("/tmp/x/nginx.pid", NginxPidFile.FromConfiguration("user www-data;\npid /tmp/x/nginx.pid;\nevents {}\n"));
    }

    [Fact]
    public void FromConfiguration_CommentedOut_IsIgnored()
    {
        Assert.Null(NginxPidFile.FromConfiguration("# pid /run/other.pid;\nevents {}\n"));
    }

    [Fact]
    public void FromConfiguration_Quoted()
    {
        Assert.Equal("/run/nginx.pid", NginxPidFile.FromConfiguration("  pid \"/run/nginx.pid\";"));
    }
}
