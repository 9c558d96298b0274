using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Runtime.Traffic.Redirect;

namespace Mizan.Agent.Tests.Runtime.Traffic.Redirect;

public class FrontPortsTests
{
    [Fact]
    public void Map_PlainSwitch_SendsEveryPrimaryAndTheBackupToTheLiveSlot()
    {
        var map = new FrontPorts(100, 4).Map(new TrafficRoute(Slot.Green));

        Assert.Equal([(100, Slot.Green), (101, Slot.Green), (102, Slot.Green), (103, Slot.Green), (104, Slot.Green)], map);
    }

    [Fact]
    public void Map_StandbyBehindTheLiveSlot_SendsTheBackupToIt()
    {
        var map = new FrontPorts(100, 4).Map(new TrafficRoute(Slot.Green, Backup: true));

        Assert.Equal([(100, Slot.Green), (101, Slot.Green), (102, Slot.Green), (103, Slot.Green), (104, Slot.Blue)], map);
    }

    [Fact]
    public void Map_TwentyPercentOfTen_SendsTheLastTwoPrimariesToTheOtherSlot()
    {
        var map = new FrontPorts(100, 10).Map(new TrafficRoute(Slot.Blue, OtherPercent: 20, Backup: true));

        Assert.Equal(8, map.Count(entry => entry.Slot == Slot.Blue && entry.FrontPort < 110));
        Assert.Equal([(108, Slot.Green), (109, Slot.Green), (110, Slot.Green)], map.Where(entry => entry.Slot == Slot.Green));
    }

    [Theory]
    [InlineData(10, 0, 0)]
    [InlineData(10, 100, 10)]
    [InlineData(20, 5, 1)]
    [InlineData(4, 25, 1)]
    public void PrimariesFor_WholeShare_CountsPorts(int count, int percent, int expected)
    {
        Assert.Equal(expected, new FrontPorts(100, count).PrimariesFor(percent));
    }

    [Fact]
    public void Map_ShareBetweenPorts_IsRefusedNamingTheStep()
    {
        var refused = Assert.Throws<TrafficSwitchException>(() => new FrontPorts(100, 20).Map(new TrafficRoute(Slot.Blue, OtherPercent: 7)));

        Assert.Contains("multiple of 5 %", refused.Message, StringComparison.Ordinal);
    }
}
