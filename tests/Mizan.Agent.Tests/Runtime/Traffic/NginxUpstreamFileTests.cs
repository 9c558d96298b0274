using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Runtime.Traffic.Redirect;

namespace Mizan.Agent.Tests.Runtime.Traffic;

public class NginxUpstreamFileTests
{
    [Fact]
    public void Render_GreenSlot_PointsUpstreamAtItsLoopbackPort()
    {
        var text = NginxUpstreamFile.Render("web", "web_backend", Slot.Green, 18082);

        Assert.Contains("upstream web_backend {", text, StringComparison.Ordinal);
        Assert.Contains("    server 127.0.0.1:18082;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("18081", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Slot.Blue)]
    [InlineData(Slot.Green)]
    public void ReadRoute_RenderedFile_RoundTrips(Slot slot)
    {
        Assert.Equal(new TrafficRoute(slot), NginxUpstreamFile.ReadRoute(NginxUpstreamFile.Render("web", "web_backend", slot, 1234)));
    }

    [Fact]
    public void ReadRoute_HandWrittenFile_ReturnsNull()
    {
        Assert.Null(NginxUpstreamFile.ReadRoute("upstream web_backend { server 127.0.0.1:1; }\n"));
    }

    [Fact]
    public void RenderFrontPorts_ThreePrimaries_ListsThemRoundRobinThenTheBackupAndNoKeepalive()
    {
        var text = NginxUpstreamFile.RenderFrontPorts("web", "web_backend", new FrontPorts(18700, 3));

        Assert.Contains(
            "upstream web_backend {\n    server 127.0.0.1:18700 max_fails=0;\n    server 127.0.0.1:18701 max_fails=0;\n" +
                "    server 127.0.0.1:18702 max_fails=0;\n    server 127.0.0.1:18703 backup max_fails=0;\n}\n",
            text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("keepalive", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRoute_FrontPortsFile_ReturnsNullSoItIsNeverTakenForAReloadModeRoute()
    {
        Assert.Null(NginxUpstreamFile.ReadRoute(NginxUpstreamFile.RenderFrontPorts("web", "web_backend", new FrontPorts(18700, 10))));
    }
}
