using System.Globalization;
using CrampSense.FirmwareHost.Pipeline;
using CrampSense.Messaging.Configuration;
using CrampSense.Messaging.Publishing;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrampSense.FirmwareHost.Live;

/// <summary>
/// The terminal view of <c>--simulate</c>/<c>--replay</c> (Spectre.Console live display, 4 redraws a second):
/// per site envelope, class and tracker state; the last events, prompts and log lines; MQTT and outbox status;
/// and the mosquitto_sub command that shows the same messages. Only registered when standard output is a terminal.
/// </summary>
internal sealed class LiveView(PipelineState state, MqttPublisher publisher, MessagingOptions messaging, IAnsiConsole console, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await console.Live(Render()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    context.UpdateTarget(Render());
                    await Task.Delay(TimeSpan.FromMilliseconds(250), time, stoppingToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        console.Write(Render());
    }

    internal IRenderable Render()
    {
        var c = CultureInfo.InvariantCulture;
        var sites = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn("site").AddColumn(new TableColumn("envelope µV").RightAligned()).AddColumn("").AddColumn("class")
            .AddColumn(new TableColumn("p(cramp)").RightAligned()).AddColumn("tracker").AddColumn(new TableColumn("skin °C").RightAligned());
        foreach (var s in state.Sites)
        {
            var bar = new string('█', (int)Math.Clamp(Math.Log10(Math.Max(1, s.EnvelopeMicrovolts)) * 10, 0, 30));
            var colour = s.State switch
            {
                Detection.CrampTrackerState.Cramp => "red",
                Detection.CrampTrackerState.Candidate => "yellow",
                Detection.CrampTrackerState.Fault => "grey",
                _ => "green",
            };
            sites.AddRow(
                new Markup(Markup.Escape(s.Site)),
                new Markup(s.EnvelopeMicrovolts.ToString("0.0", c)),
                new Markup($"[{colour}]{bar}[/]"),
                new Markup(Markup.Escape(s.Class)),
                new Markup(s.CrampProbability.ToString("0.00", c)),
                new Markup($"[{colour}]{s.State}[/]"),
                new Markup(s.SkinTemperatureCelsius is float t ? t.ToString("0.0", c) : "–"));
        }

        var stats = publisher.Outbox.Statistics;
        var mqtt = publisher.IsConnected
            ? $"[green]connected[/] {Markup.Escape(messaging.EffectiveHost)}:{messaging.EffectivePort}{(messaging.UsesEmbeddedBroker ? " (embedded broker)" : string.Empty)}"
            : $"[red]not connected[/] {Markup.Escape(messaging.EffectiveHost)}:{messaging.EffectivePort} {Markup.Escape(publisher.LastConnectionError ?? string.Empty)}";
        var session = TimeSpan.FromSeconds(Math.Floor(state.SessionSeconds));
        var dropped = stats.DroppedTelemetry + stats.DroppedEvent + stats.DroppedPrompt + stats.DroppedFault;
        var text = string.Create(c, $"[bold]CrampSense[/] device [blue]{Markup.Escape(messaging.DeviceId)}[/]  source {Markup.Escape(state.Source ?? "opening…")}  session {session:hh\\:mm\\:ss}  frames {state.Frames:N0}\n")
            + string.Create(c, $"MQTT {mqtt}  outbox pending {stats.Pending}, dropped {dropped}, rejected {stats.Rejected}\n")
            + $"haptic: {Markup.Escape(state.LastHaptic ?? "–")}"
            + (state.SourceError is { } error ? $"\n[red]source: {Markup.Escape(error)}[/]" : string.Empty);
        var header = new Markup(text);
        var port = messaging.EffectivePort == 1883 ? string.Empty : $" -p {messaging.EffectivePort}";
        var watch = new Markup($"[grey]watch it:[/] mosquitto_sub -h {Markup.Escape(messaging.EffectiveHost)}{port} -t '{Markup.Escape(Contract.ContractTopics.Root)}/#' -v");
        return new Rows(
            header,
            sites,
            List("events", state.RecentEvents, "no cramp yet"),
            List("prompts", state.RecentPrompts, "none yet"),
            List("log", state.RecentLog, ""),
            watch,
            new Markup("[grey]Ctrl+C stops (the current window is finished and flushed; offline is published).[/]"));
    }

    private static Panel List(string title, IReadOnlyList<string> lines, string empty) =>
        new Panel(new Markup(lines.Count == 0 ? $"[grey]{empty}[/]" : string.Join('\n', lines.Take(5).Select(Markup.Escape))))
            .Header(title).Expand().Border(BoxBorder.Rounded);
}
