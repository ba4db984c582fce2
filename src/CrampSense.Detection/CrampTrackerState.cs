namespace CrampSense.Detection;

/// <summary>Where a <see cref="CrampEventTracker"/> stands after the last window.</summary>
public enum CrampTrackerState
{
    /// <summary>No contraction being tracked (the pre-cramp pattern may be building).</summary>
    Rest,

    /// <summary>A contraction looks involuntary but has not yet lasted the minimum cramp duration.</summary>
    Candidate,

    /// <summary>A confirmed cramp is running (<c>cramp_started</c> has been emitted).</summary>
    Cramp,

    /// <summary>The channel is faulty, or has not yet been clean long enough to be trusted again.</summary>
    Fault,
}
