using CrampSense.Sensors.Configuration;

namespace CrampSense.Sensors.Simulated;

/// <summary>The configured wiring on the bus-level chip simulators (<see cref="SimulatedBusFactory"/>), built like the Pi's rig.</summary>
public static class SimulatedRig
{
    /// <summary>Builds the rig on simulated buses. Throws <see cref="SensorsConfigurationException"/> on bad options.</summary>
    public static SensorRig Build(SensorsOptions options, TimeProvider timeProvider) =>
        SensorComposition.Build(options, new SimulatedBusFactory(timeProvider), timeProvider);
}
