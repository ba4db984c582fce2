using Xunit;

namespace CrampSense.Cli.Tests;

/// <summary>
/// Runs a <c>crampsense</c> command over seeded mutated recordings (<see cref="RecordingMutator"/>) and sorts
/// the outcomes: success (exit 0), a clean rejection (exit 1 with one short <c>error: &lt;file&gt; …</c> line), or a
/// failure (anything else: another exit code, a stack trace, a message without the file or too long).
/// </summary>
internal static class MutatedRecordings
{
    public sealed record Outcome(int Succeeded, int Rejected, int RejectedWithLine, IReadOnlyList<string> Failures);

    public static async Task<Outcome> RunAsync(TestFiles files, int count, int seed, Func<string, string[]> arguments)
    {
        var random = new Random(seed);
        var (succeeded, rejected, withLine) = (0, 0, 0);
        var failures = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var text = RecordingMutator.Mutate(random);
            var name = $"mutated-{i}.csv";
            var path = files.Write(name, text);
            var output = new StringWriter();
            var error = new StringWriter();
            var exit = await CrampSenseCommand.RunAsync(arguments(path), output, error);
            var message = error.ToString().TrimEnd('\n');
            if (exit == 0)
            {
                succeeded++;
            }
            else if (exit == CliErrors.BadInput && message.StartsWith("error: ", StringComparison.Ordinal) && !message.Contains('\n', StringComparison.Ordinal)
                && message.Contains(name, StringComparison.Ordinal) && message.Length <= RecordingMutator.MaxMessageLength)
            {
                rejected++;
                withLine += message.Contains(" line ", StringComparison.Ordinal) ? 1 : 0;
            }
            else
            {
                failures.Add($"file {i}: exit {exit}: {RecordingMutator.Preview(message)}\n  {RecordingMutator.Preview(text)}");
            }

            File.Delete(path);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{count} mutated recordings (seed {seed}): {succeeded} succeeded, {rejected} rejected ({withLine} naming a line), {failures.Count} failures");
        return new Outcome(succeeded, rejected, withLine, failures);
    }
}
