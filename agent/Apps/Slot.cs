namespace Mizan.Agent.Apps;

/// <summary>The two places an app can run in; one is live, the other is standby.</summary>
public enum Slot
{
    Blue,
    Green,
}

public static class SlotNames
{
    public static string Name(this Slot slot) => slot == Slot.Blue ? "blue" : "green";

    public static Slot Other(this Slot slot) => slot == Slot.Blue ? Slot.Green : Slot.Blue;

    public static bool TryParse(string? text, out Slot slot)
    {
        switch (text)
        {
            case "blue":
                slot = Slot.Blue;
                return true;
            case "green":
                slot = Slot.Green;
                return true;
            default:
                slot = default;
                return false;
        }
    }
}
