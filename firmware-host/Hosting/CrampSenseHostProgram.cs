using CrampSense.Messaging.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CrampSense.FirmwareHost.Hosting;

/// <summary>Builds and runs the service; a configuration error is printed (naming the key) with exit code 2.</summary>
public static class CrampSenseHostProgram
{
    /// <summary>Exit code for a configuration error.</summary>
    public const int ConfigurationError = 2;

    /// <summary>Exit code when the service could not start (a port in use) or a replayed recording ended on a bad row.</summary>
    public const int RuntimeError = 1;

    /// <summary>The prefix of the service's environment variables: <c>CRAMPSENSE_Mqtt__Host=broker.local</c>.</summary>
    public const string EnvironmentPrefix = "CRAMPSENSE_";

    public static async Task<int> RunAsync(string[] args)
    {
        var commandLine = HostCommandLine.Parse(args, Console.Out, Console.Error);
        if (commandLine.ExitCode is { } exit)
        {
            return exit;
        }

        try
        {
            using var host = Build(commandLine.Overrides);

            // Validate the options (ValidateOnStart) before the host starts: a failure inside StartAsync is first
            // logged by the host, with its stack trace on one 1 700-character line under systemd, and only the clean
            // message below is meant for the user.
            if (host.Services.GetService<IAsyncStartupValidator>() is { } validator)
            {
                await validator.ValidateAsync(CancellationToken.None).ConfigureAwait(false);
            }

            // The model and profile files, likewise: a corrupt one is a configuration error, not a crash of the pipeline.
            _ = host.Services.GetService<Pipeline.DetectorAssets>();

            var state = host.Services.GetService<Pipeline.PipelineState>(); // RunAsync disposes the services
            await host.RunAsync().ConfigureAwait(false);
            if (state?.ReplayFailure is { } failure)
            {
                await Console.Error.WriteLineAsync($"crampsense-host: the recording stopped early: {failure}").ConfigureAwait(false);
                return RuntimeError;
            }

            return 0;
        }
        catch (Exception e) when (ConfigurationMessage(e) is { } message)
        {
            await Console.Error.WriteLineAsync("crampsense-host: invalid configuration:" + Environment.NewLine + message).ConfigureAwait(false);
            return ConfigurationError;
        }
        catch (IOException e)
        {
            // E.g. the embedded broker's port is taken (another broker runs): the message names Mqtt:Broker:Port.
            await Console.Error.WriteLineAsync($"crampsense-host: cannot start: {e.Message}{Environment.NewLine}  To use the broker that is already running, set Mqtt:Host (CRAMPSENSE_Mqtt__Host=127.0.0.1); or move the embedded one (CRAMPSENSE_Mqtt__Broker__Port).").ConfigureAwait(false);
            return RuntimeError;
        }
    }

    /// <summary>
    /// The host: appsettings.json next to the program, <c>CRAMPSENSE_</c> environment variables, then
    /// <paramref name="overrides"/> (the command line, or a test's settings); <paramref name="services"/> may
    /// replace or add parts (tests): it is applied last, so its registrations win and its logger providers stay.
    /// </summary>
    public static IHost Build(IReadOnlyDictionary<string, string?> overrides, Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "crampsense-host",
        });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.AddCrampSenseConsole();
        builder.AddCrampSenseSource();
        builder.AddCrampSenseMessagingService();
        builder.AddCrampSenseCoaching();
        builder.AddCrampSenseDetection();
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>The key-naming message of a configuration error, or null when <paramref name="e"/> is something else.</summary>
    internal static string? ConfigurationMessage(Exception e) => e switch
    {
        OptionsValidationException o => "  " + string.Join(Environment.NewLine + "  ", o.Failures),
        MessagingConfigurationException m => m.Message,
        Wearable.DetectorFileException d => "  " + d.Message,
        AggregateException a when a.InnerExceptions.Count > 0 && a.InnerExceptions.All(i => ConfigurationMessage(i) is not null) =>
            string.Join(Environment.NewLine, a.InnerExceptions.Select(i => ConfigurationMessage(i))),
        _ => null,
    };
}
