namespace CrampSense.Coaching;

/// <summary>The muscle group a recording site belongs to; it picks the stretch to advise.</summary>
public enum MuscleGroup
{
    /// <summary>A site the coach does not recognise: a generic "lengthen the muscle" stretch is advised.</summary>
    Other,

    /// <summary>Calf (gastrocnemius, soleus).</summary>
    Calf,

    /// <summary>Back of the thigh.</summary>
    Hamstring,

    /// <summary>Front of the thigh.</summary>
    Quadriceps,

    /// <summary>Foot and toes.</summary>
    Foot,

    /// <summary>Hand, fingers and forearm (finger flexors).</summary>
    Hand,
}
