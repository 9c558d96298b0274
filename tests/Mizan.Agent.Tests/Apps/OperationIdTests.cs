using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps;

namespace Mizan.Agent.Tests.Apps;

public class OperationIdTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 8, 13, 46, TimeSpan.Zero));

    [Theory]
    [InlineData(OperationKind.Deployment, "d-20261127-081346-")]
    [InlineData(OperationKind.Primitive, "p-20261127-081346-")]
    [InlineData(OperationKind.AutoHeal, "h-20261127-081346-")]
    [InlineData(OperationKind.StandbyExpiry, "s-20261127-081346-")]
    public void New_EachKind_WritesPrefixAndUtcTime(OperationKind kind, string start)
    {
        var id = OperationId.New(kind, time);

        Assert.StartsWith(start, id.Value, StringComparison.Ordinal);
        Assert.Equal(start.Length + 6, id.Value.Length);
    }

    [Theory]
    [InlineData(OperationKind.Deployment)]
    [InlineData(OperationKind.Primitive)]
    [InlineData(OperationKind.AutoHeal)]
    [InlineData(OperationKind.StandbyExpiry)]
    public void TryParse_WhatNewMinted_GivesTheSameIdBack(OperationKind kind)
    {
        var minted = OperationId.New(kind, time);

        Assert.True(OperationId.TryParse(minted.Value, out var parsed));
        Assert.Equal(minted, parsed);
        Assert.Equal(kind, parsed.Kind);
    }

    [Fact]
    public void New_TwiceInOneSecond_GivesDistinctIds() =>
        Assert.NotEqual(OperationId.New(OperationKind.Deployment, time), OperationId.New(OperationKind.Deployment, time));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("d-1")]
    [InlineData("standby-expiry")]
    [InlineData("x-20261127-081346-2a51ba")]
    [InlineData("d-20261327-081346-2a51ba")]
    [InlineData("d-20261127-081346-2A51BA")]
    [InlineData("d-20261127-081346-2a51bz")]
    [InlineData("d-20261127_081346-2a51ba")]
    [InlineData("d-20261127-081346-2a51ba\n")]
    [InlineData("d-20261127-081346-2a51ba0")]
    public void TryParse_NotAnOperationId_IsRefused(string? text)
    {
        Assert.False(OperationId.TryParse(text, out _));
        Assert.Null(OperationId.KindOf(text));
    }

    [Theory]
    [InlineData("d-20261127-081346-2a51ba", true)]
    [InlineData("p-20261127-081346-2a51ba", true)]
    [InlineData("h-20261127-081346-2a51ba", false)]
    [InlineData("s-20261127-081346-2a51ba", false)]
    public void IsRecorded_OnlyDeploymentsAndPrimitives(string text, bool recorded)
    {
        Assert.True(OperationId.TryParse(text, out var id));
        Assert.Equal(recorded, id.IsRecorded);
    }
}
