using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Traffic;

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
    public void ReadLiveSlot_RenderedFile_RoundTrips(Slot slot)
    {
        Assert.Equal(slot, NginxUpstreamFile.ReadLiveSlot(NginxUpstreamFile.Render("web", "web_backend", slot, 1234)));
    }

    [Fact]
    public void ReadLiveSlot_HandWrittenFile_ReturnsNull()
    {
        Assert.Null(NginxUpstreamFile.ReadLiveSlot("upstream web_backend { server 127.0.0.1:1; }\n"));
    }
}
