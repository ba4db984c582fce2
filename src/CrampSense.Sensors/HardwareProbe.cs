using System.Globalization;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Haptics;

namespace CrampSense.Sensors;

/// <summary>
/// What <c>crampsense hw probe</c> does: checks that every configured part can be reached, reads for a few
/// seconds, and prints per EMG channel the achieved rate, jitter, signal range and a lead-off verdict, a
/// reading per temperature and IMU sensor, and buzzes the motor once.
/// </summary>
public static class HardwareProbe
{
    /// <summary>Exit code: everything found and reading.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: the parts answered, but a sensor reported a fault (lead-off, bus error, …).</summary>
    public const int SensorFaults = 1;

    /// <summary>Exit code: a part cannot be reached (interface off, no permission, chip missing).</summary>
    public const int Unreachable = 2;

    public static int Run(
        SensorsOptions options,
        IDeviceNodes nodes,
        Func<SensorsOptions, SensorRig> buildRig,
        TimeProvider timeProvider,
        TimeSpan duration,
        TextWriter output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(buildRig);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(output);
        var inv = CultureInfo.InvariantCulture;

        var issues = HardwarePreflight.Check(options, nodes);
        if (issues.Count > 0)
        {
            output.WriteLine("Hardware probe: some configured parts cannot be reached.");
            foreach (var issue in issues)
            {
                output.WriteLine($"  ✗ {issue.Part}: {issue.Problem}");
                output.WriteLine($"      fix: {issue.Fix}");
            }

            return Unreachable;
        }

        SensorRig rig;
        try
        {
            rig = buildRig(options);
        }
        catch (Exception e) when (BusExceptions.IsBusFault(e) || e is SensorsConfigurationException)
        {
            output.WriteLine($"  ✗ could not open the sensors: {e.Message}");
            return Unreachable;
        }

        using (rig)
        {
            var engine = rig.Engine;
            var sites = engine.Layout.Sites.Count;
            var min = Enumerable.Repeat(float.PositiveInfinity, sites).ToArray();
            var max = Enumerable.Repeat(float.NegativeInfinity, sites).ToArray();
            float? lastTemperature = null;
            (float X, float Y, float Z)? lastAcceleration = null;
            var frame = engine.Layout.CreateFrame();

            output.WriteLine(string.Create(inv, $"Reading {duration.TotalSeconds:0.#} s from {engine.Adc.Chip} on {engine.Adc.Bus} at {engine.Settings.EmgRateHz:0} Hz …"));
            engine.Start();
            rig.Motor?.Play(HapticPattern.Prompt);
            // Read for the duration, and on until every channel has a lead-off verdict (a busy system may sample
            // slowly), but never longer than four times the duration.
            var start = timeProvider.GetTimestamp();
            var minimumSamples = engine.LeadOffWindowSamples + 1;
            while (!cancellationToken.IsCancellationRequested)
            {
                var elapsed = timeProvider.GetElapsedTime(start);
                if ((elapsed >= duration && engine.Statistics.Snapshot().Samples >= minimumSamples) || elapsed >= duration * 4)
                {
                    break;
                }

                engine.Frames.WaitForData(TimeSpan.FromMilliseconds(100), cancellationToken);
                while (engine.Frames.TryRead(frame, out _))
                {
                    for (var i = 0; i < sites; i++)
                    {
                        min[i] = Math.Min(min[i], frame.EmgMillivolts[i]);
                        max[i] = Math.Max(max[i], frame.EmgMillivolts[i]);
                    }

                    if (frame.HasSkinTemperature)
                    {
                        lastTemperature = frame.SkinTemperatureCelsius;
                    }

                    if (frame.HasAcceleration)
                    {
                        lastAcceleration = (frame.AccelerationXG, frame.AccelerationYG, frame.AccelerationZG);
                    }
                }
            }

            engine.Stop();
            var report = engine.Statistics.Snapshot();
            var active = rig.Status.ActiveFaults;
            output.WriteLine(string.Create(inv,
                $"  sampling: {report.MeasuredRateHz:0.0} Hz achieved (nominal {report.NominalRateHz:0}), jitter {report.JitterMicroseconds:0} µs, " +
                $"max lateness {report.MaxLatenessMicroseconds:0} µs, dropped {report.DroppedSlots}, faulted {report.FaultedSlots}, hand-off dropped {report.HandOffDropped}"));
            for (var i = 0; i < sites; i++)
            {
                var channel = engine.Adc.Channels[i];
                var verdict = engine.LeadOffVerdict(i) switch
                {
                    SensorFaultKind.Railed => "LEAD-OFF (railed: electrode off or saturated)",
                    SensorFaultKind.Flat => "LEAD-OFF (flat: no skin contact?)",
                    _ when float.IsInfinity(min[i]) => "no samples",
                    _ => "connected",
                };
                var range = float.IsInfinity(min[i]) ? "—" : string.Create(inv, $"{min[i]:0.000} … {max[i]:0.000} mV ({max[i] - min[i]:0.000} mV p-p)");
                output.WriteLine(string.Create(inv, $"  ✓ CH{channel.AdcChannel} {channel.Site}: {range}, {verdict}"));
            }

            if (rig.TemperatureChip is { } t)
            {
                output.WriteLine(lastTemperature is float c
                    ? string.Create(inv, $"  ✓ {t}: {c:0.00} °C")
                    : $"  ✗ {t}: no reading");
            }

            if (rig.ImuChip is { } m)
            {
                output.WriteLine(lastAcceleration is { } a
                    ? string.Create(inv, $"  ✓ {m}: acceleration {a.X:0.000}, {a.Y:0.000}, {a.Z:0.000} g")
                    : $"  ✗ {m}: no reading");
            }

            if (rig.Motor is { } motor)
            {
                output.WriteLine($"  ✓ motor on {motor.Output}: buzzed once ({HapticPattern.Prompt.Name}) — did you feel it?");
            }

            foreach (var fault in active)
            {
                output.WriteLine($"  ✗ {fault}");
            }

            var slots = report.Samples + report.DroppedSlots + report.FaultedSlots;
            var behind = slots > 0 && report.DroppedSlots > slots / 100;
            if (behind)
            {
                output.WriteLine(string.Create(inv,
                    $"  ✗ sampling fell behind: {report.DroppedSlots} of {slots} slots dropped ({100.0 * report.DroppedSlots / slots:0.0} %) — is the CPU busy? (check with top; stop other load, or lower Sensors:Emg:RateHz)"));
            }

            var missingReadings = (rig.TemperatureChip is not null && lastTemperature is null) || (rig.ImuChip is not null && lastAcceleration is null);
            return active.Count > 0 || missingReadings || behind || report.Samples == 0 ? SensorFaults : Ok;
        }
    }
}
