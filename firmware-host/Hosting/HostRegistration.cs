using CrampSense.Coaching;
using CrampSense.FirmwareHost.Configuration;
using CrampSense.FirmwareHost.Live;
using CrampSense.FirmwareHost.Pipeline;
using CrampSense.Messaging;
using CrampSense.Messaging.Configuration;
using CrampSense.Sensors.Configuration;
using CrampSense.ServiceDefaults;
using CrampSense.Wearable.Clips;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace CrampSense.FirmwareHost.Hosting;

/// <summary>
/// One <c>Add…</c> per room, in the order the host needs them: the frame source (sensors, simulator or a
/// recording), messaging (outbox, broker, discovery), coaching, detection (the pipeline), and the terminal
/// view. Options are checked at start (ValidateOnStart); every message starts with its configuration key.
/// </summary>
public static class HostRegistration
{
    /// <summary>
    /// <c>Source</c>, <c>Detection</c>, <c>Host</c> and (for sensors) <c>Sensors</c>: registers the options and the
    /// <see cref="IFrameSourceFactory"/>.
    /// </summary>
    public static IHostApplicationBuilder AddCrampSenseSource(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddKeyedOptions(problems => CrampSenseHostOptions.Read(configuration, problems), o => o.Validate());

        var kind = CrampSenseHostOptions.ReadKind(configuration);
        if (kind is FrameSourceKind.Hardware or FrameSourceKind.SimulatedHardware)
        {
            builder.Services.AddKeyedOptions(problems => SensorsOptionsValidator.Read(configuration, problems), SensorsOptionsValidator.Validate);
        }

        builder.Services.TryAddSingleton<IFrameSourceFactory>(p => new FrameSourceFactory(
            p.GetRequiredService<CrampSenseHostOptions>(),
            kind is FrameSourceKind.Hardware or FrameSourceKind.SimulatedHardware ? p.GetRequiredService<IOptions<SensorsOptions>>().Value : null,
            p.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// <c>Mqtt</c> and <c>Device</c>: the publisher with its outbox, the embedded broker when <c>Mqtt:Host</c> is
    /// empty, status with last will and Home Assistant discovery. Defaults the host supplies: <c>Device:Sites</c>
    /// from the source, and the outbox in systemd's state directory (<c>$STATE_DIRECTORY</c>) or the user's data folder.
    /// </summary>
    /// <exception cref="MessagingConfigurationException">A messaging key is invalid; the message names it.</exception>
    public static IHostApplicationBuilder AddCrampSenseMessagingService(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var hostOptions = CrampSenseHostOptions.Read(configuration, []);

        // A malformed Sensors value leaves the sites unplanned here; the start-up validation reports it with its key.
        var sensors = KeyedOptions.Bind<SensorsOptions>(configuration, SensorsOptions.SectionName, []) ?? new SensorsOptions();
        var sites = FrameSourceFactory.PlanSites(hostOptions, sensors);
        var device = configuration["Device:Id"] is { Length: > 0 } id ? id : "crampsense";
        var defaults = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Mqtt:Outbox:Path"] = Path.Combine(StateDirectory(), $"outbox-{device}.db"),
        };
        if (sites.Count > 0)
        {
            defaults["Device:Sites"] = string.Join(',', sites);
        }

        var merged = new ConfigurationBuilder().AddInMemoryCollection(defaults).AddConfiguration(configuration).Build();
        builder.Services.AddCrampSenseMessaging(merged);
        return builder;
    }

    /// <summary><c>Coach</c>: the coach's settings (validated at start; messages name <c>Coach:…</c> keys).</summary>
    public static IHostApplicationBuilder AddCrampSenseCoaching(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.AddKeyedOptions(
            problems => KeyedOptions.Bind<CoachOptions>(configuration, CoachOptions.SectionName, problems),
            o => KeyedOptions.ProblemsOf(o.Validate));
        return builder;
    }

    /// <summary>The pipeline (detector, telemetry, coach, haptics) as a hosted service, stopped before messaging so its last events reach the outbox.</summary>
    public static IHostApplicationBuilder AddCrampSenseDetection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<PipelineState>();
        builder.Services.AddSingleton(p => DetectorAssets.Load(p.GetRequiredService<CrampSenseHostOptions>()));
        builder.Services.AddKeyedOptions(
            problems => KeyedOptions.Bind<ClipOptions>(builder.Configuration, ClipOptions.SectionName, problems, errorOnUnknownKeys: true),
            o => o.Validate());
        builder.Services.AddSingleton<DetectionPipeline>();
        builder.Services.AddSingleton<HostMetrics>();
        builder.Services.AddHostedService(p =>
        {
            _ = p.GetRequiredService<HostMetrics>(); // its instruments exist from start-up; the host's IMeterFactory disposes the meter
            return p.GetRequiredService<DetectionPipeline>();
        });
        builder.Services.AddHostedService<WatchdogService>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        return builder;
    }

    /// <summary>
    /// The terminal view when <c>Host:Live</c> says so, or (unset) when standard output is a terminal and the host
    /// is not under systemd; logs then go into the view. Otherwise plain single-line logs on standard output
    /// (journald format under systemd).
    /// </summary>
    public static IHostApplicationBuilder AddCrampSenseConsole(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSystemd();

        // AddSystemd registers the notifier only under systemd; the watchdog asks for it everywhere (IsEnabled false).
        builder.Services.TryAddSingleton<Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier, Microsoft.Extensions.Hosting.Systemd.SystemdNotifier>();
        var live = bool.TryParse(builder.Configuration["Host:Live"], out var configured)
            ? configured
            : !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("INVOCATION_ID") is null;
        builder.Logging.ClearProviders();
        if (live)
        {
            builder.Services.TryAddSingleton<PipelineState>();
            builder.Services.AddSingleton<ILoggerProvider>(p => new LiveLogProvider(p.GetRequiredService<PipelineState>(), p.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton(AnsiConsole.Console);
            builder.Services.AddHostedService<LiveView>();
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        return builder;
    }

    /// <summary>Where the outbox lives by default: systemd's <c>StateDirectory=</c>, else the user's local data folder.</summary>
    internal static string StateDirectory() =>
        Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state
            ? state.Split(':')[0]
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "crampsense");
}
