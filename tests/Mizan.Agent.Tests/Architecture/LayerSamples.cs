// Two tiny "areas" that use each other, and two where only the upper one uses the lower: what the layer rule must
// refuse and accept, checked on real compiled types rather than on a description of them.
namespace Mizan.Agent.Tests.Architecture.Knot.Upper
{
    public sealed class UsesLower
    {
        public Lower.UsesUpper? Other { get; set; }
    }
}

namespace Mizan.Agent.Tests.Architecture.Knot.Lower
{
    public sealed class UsesUpper
    {
        public Upper.UsesLower? Other { get; set; }
    }
}

namespace Mizan.Agent.Tests.Architecture.Chain.Upper
{
    public sealed class UsesLower
    {
        public Lower.UsesNothing? Other { get; set; }
    }
}

namespace Mizan.Agent.Tests.Architecture.Chain.Lower
{
    public sealed class UsesNothing;
}
