using System.CommandLine;
using System.Globalization;
using CrampSense.Cli.Detection;
using CrampSense.Simulation;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense simulate-set --hours 10 --seed-base 9000 --out evalset/</c>: writes an evaluation set of simulated
/// recordings (with truth sidecars) covering every scenario and nuisance, one subject per seed. Training uses
/// seeds from 100000 up (<c>crampsense train</c>), so seed bases below that give subjects the model never saw.
/// </summary>
internal static class SimulateSetCommand
{
    internal static Command Create()
    {
        var hours = new Option<double>("--hours") { Description = "Total length of the set.", DefaultValueFactory = _ => 10 };
        var seedBase = new Option<int>("--seed-base") { Description = "First seed; recordings use seed-base + 100·cycle + entry. Keep below 100000 (training seeds).", DefaultValueFactory = _ => 9000 };
        var output = new Option<string>("--out", "-o") { Description = "Folder to write the recordings into (created if missing).", Required = true };
        var engine = new Option<string>("--engine") { Description = "motor-unit, stochastic, or mixed (alternate recordings from each engine).", DefaultValueFactory = _ => "motor-unit" };
        var randomise = new Option<bool?>("--randomise") { Description = "Randomise front ends, spectra, gains, floors, sites (1–4) and sample rates (500/1000/2000 Hz) per recording (true/false); default on for stochastic recordings, off for motor-unit ones." };
        var command = new Command("simulate-set", "Write a set of simulated recordings covering every scenario (an evaluation set of unseen subjects).")
        {
            hours, seedBase, engine, randomise, output,
        };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () => Run(
                parseResult.GetValue(hours),
                parseResult.GetValue(seedBase),
                parseResult.GetRequiredValue(output),
                configuration.Output,
                SimulateCommand.ParseEngine(parseResult.GetValue(engine), allowMixed: true),
                parseResult.GetValue(randomise)));
        });
        return command;
    }

    /// <param name="hours">Total length.</param>
    /// <param name="seedBase">First seed.</param>
    /// <param name="outputFolder">Where the recordings go.</param>
    /// <param name="console">Summary output.</param>
    /// <param name="engine">The engine of every recording; null = mixed (alternating).</param>
    /// <param name="randomise">Randomised front ends; null = each engine's default.</param>
    internal static int Run(double hours, int seedBase, string outputFolder, TextWriter console, SimulationEngine? engine = SimulationEngine.MotorUnit, bool? randomise = null)
    {
        if (!(hours > 0 && hours <= 100))
        {
            throw new CliInputException($"--hours: {hours.ToString(CultureInfo.InvariantCulture)} is out of range; use more than 0 and at most 100.");
        }

        if (seedBase is < 0 or >= 100_000)
        {
            throw new CliInputException($"--seed-base: {seedBase} is out of range; use 0 to 99999 (training uses seeds from 100000).");
        }

        Directory.CreateDirectory(outputFolder);
        var specs = SimulatedSet.Evaluation(hours, seedBase, engine, randomise);
        double totalSeconds = specs.Sum(s => s.Duration.TotalSeconds);
        ProgressReporter.Run($"simulating {specs.Count} recordings", progress =>
        {
            double done = 0;
            var gate = new Lock();
            Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                Write(specs[i], Path.Combine(outputFolder, specs[i].FileName));
                lock (gate)
                {
                    done += specs[i].Duration.TotalSeconds;
                    progress?.Report(done / totalSeconds);
                }
            });
            return 0;
        });

        foreach (var group in specs.GroupBy(s => SimulationEngines.Name(s.Engine)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine {group.Key}: {group.Count()} recordings, {group.Count(s => s.ToRequest().IsFrontEndRandomised)} with a randomised front end"));
        }

        foreach (var group in specs.GroupBy(s => s.Scenario).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group.Key}: {group.Count()} recordings, {group.Sum(s => s.Duration.TotalMinutes):0.#} min"));
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{specs.Count} recordings, {totalSeconds / 3600:0.##} h, seeds {specs.Min(s => s.Seed)}–{specs.Max(s => s.Seed)} -> {outputFolder}"));
        return 0;
    }

    private static void Write(SimulatedRecordingSpec spec, string path) =>
        SimulateCommand.WriteRecording(Simulator.Start(spec.ToRequest()), path, progress: null);
}
