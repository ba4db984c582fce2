namespace CrampSense.Coaching;

/// <summary>
/// Names of the vibration patterns a prompt asks for. The coach only names them; the host maps each name to a
/// motor pattern (so the wearable and a phone can render them their own way).
/// </summary>
public static class HapticPattern
{
    /// <summary>Strong, repeated pulses: a cramp is running, stop and stretch. The only pattern sent in quiet hours.</summary>
    public const string CrampAlert = "cramp_alert";

    /// <summary>Two firm pulses: advice worth reading soon (rest after a severe cramp, see a doctor).</summary>
    public const string Attention = "attention";

    /// <summary>One short, gentle pulse: a reminder (drink, bedtime stretch).</summary>
    public const string Reminder = "reminder";
}
