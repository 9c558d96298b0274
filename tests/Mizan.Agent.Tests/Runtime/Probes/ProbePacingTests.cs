using Mizan.Agent.Runtime.Probes;

namespace Mizan.Agent.Tests.Runtime.Probes;

public class ProbePacingTests
{
    [Fact]
    public void AfterFailure_Repeatedly_DoublesFromTheShortestWaitUpToTheInterval()
    {
        var pacing = new ProbePacing(TimeSpan.FromMilliseconds(100));

        var waits = Enumerable.Range(0, 8).Select(_ => pacing.AfterFailure().TotalMilliseconds);

        Assert.Equal([2, 4, 8, 16, 32, 64, 100, 100], waits);
    }

    [Fact]
    public void AfterSuccess_AfterABackoff_ConfirmsSoonAndStartsTheBackoffAgain()
    {
        var pacing = new ProbePacing(TimeSpan.FromSeconds(1));
        pacing.AfterFailure();
        pacing.AfterFailure();

        Assert.Equal(TimeSpan.FromMilliseconds(2), pacing.AfterSuccess());
        Assert.Equal(TimeSpan.FromMilliseconds(2), pacing.AfterFailure());
    }

    [Fact]
    public void AfterSuccess_IntervalShorterThanTheShortestWait_NeverWaitsLongerThanIt()
    {
        var pacing = new ProbePacing(TimeSpan.FromMilliseconds(1));

        Assert.Equal(TimeSpan.FromMilliseconds(1), pacing.AfterSuccess());
        Assert.Equal(TimeSpan.FromMilliseconds(1), pacing.AfterFailure());
    }
}
