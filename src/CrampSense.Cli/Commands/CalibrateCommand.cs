using System.CommandLine;
using System.Globalization;
using CrampSense.Cli.Detection;
using CrampSense.Detection.Calibration;
using CrampSense.Signals.Features;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense calibrate --rest rest.csv [--max max.csv] --out profile.json</c>: the personal rest floor of every
/// site (10th percentile of the window envelope at rest) and, with a recording of maximal voluntary contractions,
/// the maximum (highest 0.5-s mean of the envelope). The detector then starts from the personal floor and the
/// events give amplitudes in % of the maximum.
/// </summary>
internal static class CalibrateCommand
{
    internal static Command Create()
    {
        var rest = new Option<string>("--rest") { Description = "A recording at rest (relaxed, still; a minute or more).", Required = true };
        var max = new Option<string?>("--max") { Description = "A recording of maximal voluntary contractions of the same sites." };
        var device = new Option<string?>("--device") { Description = "Device id to write into the profile." };
        var output = new Option<string>("--out", "-o") { Description = "The profile to write (JSON).", Required = true };
        var acceptWeakMax = new Option<bool>("--accept-weak-max")
        {
            Description = $"Write the profile even when a maximal contraction is below {PersonalProfileBuilder.MinimumMaxToRestRatio:0}× the rest floor (normally refused: it looks like a rest recording).",
        };
        var command = new Command("calibrate", "Build a personal calibration profile (rest floor, maximal contraction) from recordings.")
        {
            rest, max, device, output, acceptWeakMax,
        };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () => Run(
                parseResult.GetRequiredValue(rest),
                parseResult.GetValue(max),
                parseResult.GetValue(device),
                parseResult.GetRequiredValue(output),
                configuration.Output,
                DateTimeOffset.UtcNow,
                parseResult.GetValue(acceptWeakMax)));
        });
        return command;
    }

    /// <summary>What a user should do for a usable maximal contraction (said when one is refused).</summary>
    internal const string MaxInstructions =
        "record the maximal contraction again: push or pull against something that does not move, as hard as you can, " +
        "for 3–5 s, three times with a minute of rest between, electrodes as for the rest recording";

    internal static int Run(string restPath, string? maxPath, string? device, string outputPath, TextWriter console, DateTimeOffset created, bool acceptWeakMax = false)
    {
        var options = FeatureExtractorOptions.Default;
        var builder = new PersonalProfileBuilder(1.0 / options.HopSeconds);
        var restSites = Feed(restPath, options, builder.AddRest);
        if (maxPath is not null)
        {
            var maxSites = Feed(maxPath, options, builder.AddMaxVoluntary);
            var missing = maxSites.Except(restSites, StringComparer.Ordinal).ToArray();
            if (missing.Length > 0)
            {
                throw new CliInputException($"{maxPath}: site(s) {string.Join(", ", missing)} have no rest recording in {restPath}");
            }
        }

        PersonalProfile profile;
        try
        {
            profile = builder.Build(created, device);
        }
        catch (InvalidOperationException e) when (maxPath is not null && e.Message.Contains("maximal contraction", StringComparison.Ordinal))
        {
            throw new CliInputException($"--max: {maxPath}: {e.Message} {char.ToUpperInvariant(MaxInstructions[0])}{MaxInstructions[1..]}.", e);
        }
        catch (InvalidOperationException e)
        {
            throw new CliInputException(e.Message, e);
        }

        var weak = PersonalProfileBuilder.WeakMaxima(profile);
        if (weak.Count > 0 && !acceptWeakMax)
        {
            throw new CliInputException($"--max: {maxPath}: {string.Join("; ", weak)}: this looks like a recording at rest; {MaxInstructions}. To write the profile anyway, add --accept-weak-max.");
        }

        OutputFile.WriteText("--out", outputPath, profile.Save);
        foreach (var site in weak)
        {
            console.WriteLine($"warning: {site}; written anyway (--accept-weak-max): % of maximum will read too high");
        }

        foreach (var (site, calibration) in profile.Sites.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{site}: rest floor {calibration.RestFloorMicrovolts:0.##} µV{(calibration.MaxVoluntaryMicrovolts is { } m ? $", maximal contraction {m:0.#} µV" : string.Empty)}"));
        }

        console.WriteLine($"profile -> {outputPath}");
        return 0;
    }

    /// <summary>Runs the signal pipeline over a recording and hands each site's clean window envelopes (µV) to <paramref name="add"/>.</summary>
    private static IReadOnlyList<string> Feed(string path, FeatureExtractorOptions options, Action<string, ReadOnlySpan<float>> add)
    {
        var source = RecordingSource.Open(path);
        var extractor = new EmgFeatureExtractor(source.Layout, options);
        var features = extractor.CreateFrame();
        var frame = source.Layout.CreateFrame();
        var envelopes = source.Layout.Sites.Select(_ => new List<float>()).ToArray();
        while (source.TryReadFrame(frame))
        {
            if (!extractor.Process(frame, features))
            {
                continue;
            }

            for (int s = 0; s < envelopes.Length; s++)
            {
                float envelope = features[s, EmgFeature.EnvelopeMean];
                if (features.Quality(s) == SignalQuality.None && float.IsFinite(envelope))
                {
                    envelopes[s].Add(envelope * 1000f);
                }
            }
        }

        for (int s = 0; s < envelopes.Length; s++)
        {
            if (envelopes[s].Count == 0)
            {
                throw new CliInputException($"{path}: site '{source.Layout.Sites[s]}' has no clean window to calibrate from (the recording is too short or faulty)");
            }

            add(source.Layout.Sites[s], System.Runtime.InteropServices.CollectionsMarshal.AsSpan(envelopes[s]));
        }

        return source.Layout.Sites;
    }
}
