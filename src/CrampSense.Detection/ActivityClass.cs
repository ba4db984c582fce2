namespace CrampSense.Detection;

/// <summary>What a window of EMG on one site looks like to the model.</summary>
public enum ActivityClass
{
    /// <summary>Resting muscle: baseline noise only.</summary>
    Rest = 0,

    /// <summary>A voluntary contraction or movement.</summary>
    Voluntary = 1,

    /// <summary>A sustained involuntary contraction.</summary>
    Cramp = 2,

    /// <summary>A signal artifact: motion, electrode pop, hum burst.</summary>
    Artifact = 3,
}
