using Mizan.Agent.Runtime.Probes;

namespace Mizan.Agent.Tests.Runtime.Probes;

public class ProbePacingTests
{
    [Fact]
    public void AfterFailure_Repeatedly_DoublesFromTenMillisecondsUpToTheInterval()
    {
        var pacing = new ProbePacing(TimeSpan.FromMilliseconds(100));

        var waits = Enumerable.Range(0, 6).Select(_ => pacing.AfterFailure().TotalMilliseconds);

        Assert.Equal([10, 20, 40, 80, 100, 100], waits);
    }

    [Fact]
    public void AfterSuccess_AfterABackoff_ConfirmsSoonAndStartsTheBackoffAgain()
    {
        var pacing = new ProbePacing(TimeSpan.FromSeconds(1));
        pacing.AfterFailure();
        pacing.AfterFailure();

        Assert.Equal(TimeSpan.FromMilliseconds(10), pacing.AfterSuccess());
        Assert.Equal(TimeSpan.FromMilliseconds(10), pacing.AfterFailure());
    }

    [Fact]
    public void AfterSuccess_IntervalShorterThanTenMilliseconds_NeverWaitsLongerThanIt()
    {
        var pacing = new ProbePacing(TimeSpan.FromMilliseconds(2));

        Assert.Equal(TimeSpan.FromMilliseconds(2), pacing.AfterSuccess());
        Assert.Equal(TimeSpan.FromMilliseconds(2), pacing.AfterFailure());
    }
}
