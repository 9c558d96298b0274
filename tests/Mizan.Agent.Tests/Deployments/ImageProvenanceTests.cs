using Mizan.Agent.Deployments;

namespace Mizan.Agent.Tests.Deployments;

public class ImageProvenanceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_OciLabels_GivesRevisionAndCreated()
    {
        var labels = new Dictionary<string, string>
        {
            [ImageProvenance.RevisionLabel] = "0123456789ABCDEF0123456789abcdef01234567",
            [ImageProvenance.CreatedLabel] = "2026-11-26T08:30:00+01:00",
        };

        var provenance = ImageProvenance.From(labels, Now);

        Assert.Equal("0123456789abcdef0123456789abcdef01234567", provenance.Revision);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 7, 30, 0, TimeSpan.Zero), provenance.Created);
    }

    [Theory]
    [InlineData("not-a-sha", "yesterday")]
    [InlineData("abc", "2026-11-29T00:00:00Z")]
    [InlineData("", "1999-01-01T00:00:00Z")]
    public void From_LabelsThatFailTheCommitRules_AreIgnored(string revision, string created)
    {
        var labels = new Dictionary<string, string> { [ImageProvenance.RevisionLabel] = revision, [ImageProvenance.CreatedLabel] = created };

        var provenance = ImageProvenance.From(labels, Now);

        Assert.Null(provenance.Revision);
        Assert.Null(provenance.Created);
    }

    [Fact]
    public void From_NoLabels_GivesNothing() =>
        Assert.Equal(new ImageProvenance(null, null), ImageProvenance.From(null, Now));

    [Fact]
    public void From_CreatedWithoutOffset_IsUtc() =>
        Assert.Equal(
            new DateTimeOffset(2026, 11, 26, 8, 30, 0, TimeSpan.Zero),
            ImageProvenance.From(new Dictionary<string, string> { [ImageProvenance.CreatedLabel] = "2026-11-26T08:30:00" }, Now).Created);
}
