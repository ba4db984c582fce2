using System.Diagnostics;
using CrampSense.FirmwareHost.Hosting;
using CrampSense.FirmwareHost.Tests.Infrastructure;
using CrampSense.Messaging.Configuration;
using Microsoft.Extensions.Options;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

/// <summary>Building, validating and running the service, in-process and as the real program.</summary>
public sealed class CrampSenseHostProgramTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("Source:Speed", "fast", "Source:Speed")]
    [InlineData("Source:Kind", "Camera", "Source:Kind")]
    [InlineData("Source:Scenario", "nap", "Source:Scenario")]
    [InlineData("Host:DurationSeconds", "-3", "Host:DurationSeconds")]
    [InlineData("Coach:Stretch:HoldSeconds", "1", "Coach:Stretch:HoldSeconds")]
    public async Task Start_InvalidSetting_FailsNamingTheKey(string key, string value, string named)
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = TestHosts.Simulated(TestHosts.NewDevice(), TestBroker.FreePort(), TestHosts.TempPath("outbox.db"));
        settings[key] = value;
        using var host = TestHosts.Build(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(ct));

        Assert.Contains(named, CrampSenseHostProgram.ConfigurationMessage(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# crampsense-recording v1 sample_rate_hz=3\nt_s,emg.calf\n0,0\n", "line 1, column sample_rate_hz: 3 Hz is outside")]
    [InlineData("# crampsense-recording v1 sample_rate_hz=1e308\nt_s,emg.calf\n0,0\n", "line 1, column sample_rate_hz: 1E+308 Hz is outside")]
    [InlineData("t_s,emg.calf\n0,0\n1e-7,0\n2e-7,0\n", "line 2, column t_s: the sample rate inferred")]
    [InlineData("t_s,emg.Calf\n0,0\n", "line 1, column emg.Calf")]
    public async Task Start_ReplayOfAMalformedRecording_FailsNamingSourcePathFileAndLine(string content, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var recording = TestHosts.TempPath("bad.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(recording)!);
        await File.WriteAllTextAsync(recording, content, ct);
        try
        {
            using var host = TestHosts.Build(TestHosts.Replayed(TestHosts.NewDevice(), TestBroker.FreePort(), TestHosts.TempPath("outbox.db"), recording));

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(ct));

            Assert.Contains($"Source:Path: {recording} {expected}", CrampSenseHostProgram.ConfigurationMessage(error), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(recording);
        }
    }

    [Fact]
    public async Task Start_InvalidSensorWiring_FailsNamingTheSensorKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = TestHosts.Simulated(TestHosts.NewDevice(), TestBroker.FreePort(), TestHosts.TempPath("outbox.db"));
        settings["Source:Kind"] = "SimulatedHardware";
        settings["Sensors:Emg:RateHz"] = "50";
        using var host = TestHosts.Build(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(ct));

        Assert.Contains("Sensors:Emg:RateHz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InvalidMqttPort_FailsNamingTheKey()
    {
        var settings = TestHosts.Simulated(TestHosts.NewDevice(), TestBroker.FreePort(), TestHosts.TempPath("outbox.db"));
        settings["Mqtt:Port"] = "99999";

        var error = Assert.Throws<MessagingConfigurationException>(() => TestHosts.Build(settings));

        Assert.Contains("Mqtt:Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_InvalidEnvironmentSetting_ExitsWithCode2AndNamesTheKey()
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = StartHost(["--simulate", "--no-live"], new() { ["CRAMPSENSE_Source__Speed"] = "slow" });
        var stderr = process.StandardError.ReadToEndAsync(ct);

        await process.WaitForExitAsync(ct).WaitAsync(Timeout, ct);

        Assert.Equal(CrampSenseHostProgram.ConfigurationError, process.ExitCode);
        Assert.Contains("Source:Speed", await stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Detection:ModelPath", "PK\u0003\u0004 not a zip", "is not a CrampSense model")]
    [InlineData("Detection:ProfilePath", "{ \"sites\": ", "not valid JSON")]
    public async Task Program_CorruptModelOrProfileFile_ExitsWithCode2NamingTheKeyAndTheFile(string key, string content, string cause)
    {
        // A corrupt model used to crash the running pipeline with an unhandled InvalidDataException (exit code 134).
        var ct = TestContext.Current.CancellationToken;
        var file = TestHosts.TempPath("corrupt.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, content, ct);
        using var process = StartHost(["--simulate", "--no-live"], new() { ["CRAMPSENSE_" + key.Replace(":", "__", StringComparison.Ordinal)] = file });
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);

        await process.WaitForExitAsync(ct).WaitAsync(Timeout, ct);

        Assert.Equal(CrampSenseHostProgram.ConfigurationError, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("crampsense-host: invalid configuration:", lines[0]);
        Assert.StartsWith($"  {key}: ", lines[1], StringComparison.Ordinal);
        Assert.Contains(file, lines[1], StringComparison.Ordinal);
        Assert.Contains(cause, lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", await stdout + await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_InvalidSettingWithoutTerminal_PrintsOnlyTheConfigurationMessage()
    {
        // Under systemd (output not a terminal) the host used to log "Hosting failed to start" with the stack trace
        // flattened into one long line before the clean message.
        var ct = TestContext.Current.CancellationToken;
        using var process = StartHost(["--simulate"], new() { ["CRAMPSENSE_Source__Speed"] = "slow", ["INVOCATION_ID"] = "test" });
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);

        await process.WaitForExitAsync(ct).WaitAsync(Timeout, ct);

        Assert.Equal(CrampSenseHostProgram.ConfigurationError, process.ExitCode);
        Assert.Equal("", (await stdout).Trim());
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("crampsense-host: invalid configuration:", lines[0]);
        Assert.All(lines[1..], line => Assert.StartsWith("  Source:Speed", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Program_ReplayWithABadCellLaterInTheFile_ExitsNonZeroNamingTheLine()
    {
        var ct = TestContext.Current.CancellationToken;
        var recording = TestHosts.WriteRecording(("rest", 1, TimeSpan.FromSeconds(10)));
        var lines = (await File.ReadAllLinesAsync(recording, ct)).ToList();
        var bad = lines.FindIndex(l => !l.StartsWith('#')) + 5001; // a data row, 5 s in
        lines[bad] = lines[bad][..lines[bad].LastIndexOf(',')] + ",not-a-number";
        await File.WriteAllLinesAsync(recording, lines, ct);
        using var process = StartHost(["--replay", recording, "--speed", "max", "--no-live", "--device", TestHosts.NewDevice()], new()
        {
            ["CRAMPSENSE_Mqtt__Broker__Port"] = TestBroker.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CRAMPSENSE_Mqtt__Outbox__Path"] = TestHosts.TempPath("outbox.db"),
        });
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);

        await process.WaitForExitAsync(ct).WaitAsync(Timeout, ct);

        Assert.Equal(CrampSenseHostProgram.RuntimeError, process.ExitCode);
        Assert.Contains("Recording stopped early", await stdout, StringComparison.Ordinal);
        Assert.Contains($"crampsense-host: the recording stopped early: {recording} line {bad + 1}", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_Sigterm_PublishesOfflineAndExitsWithinSeconds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        var device = TestHosts.NewDevice();
        var status = $"crampsense/v1/{device}/status";
        using var process = StartHost(["--simulate", "--no-live", "--device", device], new()
        {
            ["CRAMPSENSE_Mqtt__Host"] = "127.0.0.1",
            ["CRAMPSENSE_Mqtt__Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CRAMPSENSE_Mqtt__Outbox__Path"] = TestHosts.TempPath("outbox.db"),
        });
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        await broker.WaitUntilAsync(m => m.Any(x => x.Topic == status && x.Field("state") == "online"), Timeout, "online status", ct);
        await broker.WaitUntilAsync(m => m.Any(x => x.Topic.EndsWith("/telemetry", StringComparison.Ordinal)), Timeout, "first telemetry", ct);

        var stopwatch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(ct);
        }

        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
        stopwatch.Stop();
        var messages = await broker.WaitUntilAsync(m => m.Any(x => x.Topic == status && x.Field("state") == "offline"), TimeSpan.FromSeconds(5), "offline status", ct);

        Assert.Equal(0, process.ExitCode);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Contains("Pipeline stopped", await stdout, StringComparison.Ordinal);
        Assert.Equal("offline", messages.Last(m => m.Topic == status).Field("state"));
    }

    [Fact]
    public async Task Program_KilledWithSigkillAfterACrampWhileTheBrokerIsDown_NextStartDeliversEveryEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestHosts.NewDevice();
        var port = TestBroker.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["CRAMPSENSE_Mqtt__Host"] = "127.0.0.1",
            ["CRAMPSENSE_Mqtt__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CRAMPSENSE_Mqtt__ReconnectMaxSeconds"] = "1",
            ["CRAMPSENSE_Mqtt__Outbox__Path"] = TestHosts.TempPath("outbox.db"),

            // Quiet hours off: the after-care prompt the test waits for is dropped between 22:00 and 07:00 local.
            ["CRAMPSENSE_Coach__QuietHours__Start"] = "00:00",
            ["CRAMPSENSE_Coach__QuietHours__End"] = "00:00",
        };

        // First run: the broker is down; at ten times real time the calf cramp starts and ends within ~4 s. Once
        // the dispatcher has handled the end (the after-care prompt is logged after cramp_ended went into the
        // outbox), the service is killed without warning.
        using (var first = StartHost(["--simulate", "--speed", "10", "--no-live", "--device", device], environment))
        {
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            first.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("Prompt hydrate for calf", StringComparison.Ordinal) == true)
                {
                    ended.TrySetResult();
                }
            };
            first.BeginOutputReadLine();
            first.BeginErrorReadLine();
            await ended.Task.WaitAsync(Timeout, ct);
            first.Kill();
            await first.WaitForExitAsync(ct);
        }

        // Second run with the broker up: what the killed run had put into the outbox is delivered.
        await using var broker = await TestBroker.StartAsync(ct, port);
        using var second = StartHost(["--simulate", "--no-live", "--device", device], environment);
        second.BeginOutputReadLine();
        second.BeginErrorReadLine();
        try
        {
            var messages = await broker.WaitUntilAsync(m => m.Count(x => x.Topic.EndsWith("/event", StringComparison.Ordinal)) >= 2 && m.Any(x => x.Topic.EndsWith("/prompt", StringComparison.Ordinal)), Timeout, "the killed run's events and prompt", ct);

            // The killed run's cramp (its id holds the onset sample, which moves with any signal-pipeline change).
            var started = messages.First(m => m.Field("type") == "cramp_started");
            string eventId = started.Field("event_id")!;
            Assert.StartsWith($"{device}:calf:cramp:", eventId, StringComparison.Ordinal);
            Assert.Single(messages, m => m.Field("type") == "cramp_started" && m.Field("event_id") == eventId);
            Assert.Single(messages, m => m.Field("type") == "cramp_ended" && m.Field("event_id") == eventId);
            Assert.Contains(messages, m => m.Topic.EndsWith("/prompt", StringComparison.Ordinal) && m.Field("kind") == "stretch");
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync(ct);
        }
    }

    private static Process StartHost(IReadOnlyList<string> arguments, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crampsense-host.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("crampsense-host did not start.");
    }
}
