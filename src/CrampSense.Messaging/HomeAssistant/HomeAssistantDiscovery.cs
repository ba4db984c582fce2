using System.Text.Json.Nodes;
using CrampSense.Contract;

namespace CrampSense.Messaging.HomeAssistant;

/// <summary>
/// Home Assistant device-based MQTT discovery for one wearable: the retained config published to
/// <c>homeassistant/device/&lt;id&gt;/config</c>. Components: a <c>binary_sensor</c> per site (cramp active, from the
/// event topic), a skin-temperature <c>sensor</c> per site (from telemetry), <c>sensor</c>s for cramps today (from
/// status) and the last cramp's duration (from <c>cramp_ended</c> events), an <c>event</c> entity for prompts,
/// <c>button</c>s that publish feedback commands (confirm or reject the last cramp, report a cramp now) and
/// <c>device_automation</c> triggers for each site's cramp started, ended and warning. Availability follows the
/// retained status topic.
/// </summary>
/// <remarks>
/// The contract's topics are per device, not per site, so per-site entities read a shared topic and their value
/// templates render nothing for other sites' messages, which Home Assistant ignores.
/// </remarks>
public static class HomeAssistantDiscovery
{
    /// <summary>Origin block name (required by device discovery).</summary>
    public const string OriginName = "CrampSense";

    // Key, name, icon, feedback command and its event id: the buttons a wearer answers with from a phone.
    private static readonly (string Key, string Name, string Icon, string Command, string? EventId)[] FeedbackButtons =
    [
        ("confirm_last_cramp", "Confirm last cramp", "mdi:check-circle", FeedbackCommands.Confirm, FeedbackCommands.LastEvent),
        ("reject_last_cramp", "Reject last cramp", "mdi:close-circle", FeedbackCommands.Reject, FeedbackCommands.LastEvent),
        ("report_cramp_now", "Report a cramp now", "mdi:alert-circle", FeedbackCommands.CrampNow, null),
    ];

    /// <summary>
    /// The Jinja template a button renders into a <c>crampsense.feedback.v1</c> command when pressed: its id and time
    /// from Home Assistant's clock (<c>now()</c>: an ISO-8601 time with its offset, as the schema allows).
    /// </summary>
    public static string CommandTemplate(string device, string command, string? eventId) =>
        "{\"schema\":\"" + SchemaNames.Feedback + "\",\"id\":\"ha-{{ (now().timestamp() * 1000) | int }}-" + command + "\","
        + "\"time\":\"{{ now().isoformat() }}\",\"device\":\"" + device + "\",\"command\":\"" + command + "\""
        + (eventId is null ? string.Empty : ",\"event_id\":\"" + eventId + "\"") + "}";

    /// <summary>The discovery payload.</summary>
    /// <param name="topics">The device's topics.</param>
    /// <param name="deviceName">Name shown in Home Assistant.</param>
    /// <param name="sites">Muscle sites worn.</param>
    /// <param name="softwareVersion">CrampSense version, for <c>dev.sw</c> and <c>o.sw</c>.</param>
    public static JsonObject Build(ContractTopics topics, string deviceName, IReadOnlyList<string> sites, string softwareVersion)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(sites);
        var id = topics.Device;
        var components = new JsonObject();
        foreach (var site in sites)
        {
            var label = site.Length == 0 ? site : char.ToUpperInvariant(site[0]) + site[1..].Replace('_', ' ');
            components[$"{id}_{site}_cramp"] = new JsonObject
            {
                ["p"] = "binary_sensor",
                ["unique_id"] = $"{id}_{site}_cramp",
                ["name"] = $"{label} cramp",
                ["device_class"] = "problem",
                ["state_topic"] = topics.Event,
                ["value_template"] =
                    $"{{% if value_json.site == '{site}' %}}{{{{ 'ON' if value_json.type == 'cramp_started' else ('OFF' if value_json.type == 'cramp_ended' else '') }}}}{{% endif %}}",
            };
            components[$"{id}_{site}_skin_temp"] = new JsonObject
            {
                ["p"] = "sensor",
                ["unique_id"] = $"{id}_{site}_skin_temp",
                ["name"] = $"{label} skin temperature",
                ["device_class"] = "temperature",
                ["unit_of_measurement"] = "°C",
                ["state_class"] = "measurement",
                ["suggested_display_precision"] = 1,
                ["expire_after"] = 120,
                ["state_topic"] = topics.Telemetry,
                ["value_template"] =
                    $"{{% if value_json.site == '{site}' and value_json.skin_temp_c is defined %}}{{{{ value_json.skin_temp_c }}}}{{% endif %}}",
            };
            foreach (var type in (string[])[EventMessage.CrampStarted, EventMessage.CrampEnded, EventMessage.CrampWarning])
            {
                components[$"{id}_{site}_{type}"] = new JsonObject
                {
                    ["p"] = "device_automation",
                    // Home Assistant drops unique_id from a trigger's config (its schema removes extra keys); kept so
                    // every component is named alike.
                    ["unique_id"] = $"{id}_{site}_{type}",
                    ["automation_type"] = "trigger",
                    ["type"] = type,
                    ["subtype"] = site,
                    ["topic"] = topics.Event,
                    // Only this site's events of this type fire it; the trigger's payload is the rendered value.
                    ["value_template"] = "{{ value_json.type }} {{ value_json.site }}",
                    ["payload"] = $"{type} {site}",
                };
            }
        }

        foreach (var (key, name, icon, command, eventId) in FeedbackButtons)
        {
            components[$"{id}_{key}"] = new JsonObject
            {
                ["p"] = "button",
                ["unique_id"] = $"{id}_{key}",
                ["name"] = name,
                ["icon"] = icon,
                ["command_topic"] = topics.Feedback,
                ["command_template"] = CommandTemplate(id, command, eventId),
                ["qos"] = 1,
            };
        }

        components[$"{id}_cramps_today"] = new JsonObject
        {
            ["p"] = "sensor",
            ["unique_id"] = $"{id}_cramps_today",
            ["name"] = "Cramps today",
            ["icon"] = "mdi:counter",
            ["state_class"] = "measurement",
            ["state_topic"] = topics.Status,
            ["value_template"] = "{% if value_json.cramps_today is defined %}{{ value_json.cramps_today }}{% endif %}",
        };
        components[$"{id}_last_cramp_duration"] = new JsonObject
        {
            ["p"] = "sensor",
            ["unique_id"] = $"{id}_last_cramp_duration",
            ["name"] = "Last cramp duration",
            ["device_class"] = "duration",
            ["unit_of_measurement"] = "s",
            ["suggested_display_precision"] = 0,
            ["state_topic"] = topics.Event,
            ["value_template"] = "{% if value_json.type == 'cramp_ended' and value_json.duration_s is defined %}{{ value_json.duration_s }}{% endif %}",
        };
        var kinds = new JsonArray();
        foreach (var kind in PromptMessage.Kinds)
        {
            kinds.Add(kind);
        }

        components[$"{id}_prompt"] = new JsonObject
        {
            ["p"] = "event",
            ["unique_id"] = $"{id}_prompt",
            ["name"] = "Prompt",
            ["icon"] = "mdi:message-alert",
            ["state_topic"] = topics.Prompt,
            ["event_types"] = kinds,
            // The event entity needs an "event_type" key; the prompt's kind is it, the rest become attributes.
            ["value_template"] =
                "{\"event_type\": {{ value_json.kind | tojson }}, \"title\": {{ value_json.title | tojson }}, \"text\": {{ value_json.text | tojson }}, \"urgency\": {{ value_json.urgency | tojson }}}",
        };

        return new JsonObject
        {
            ["dev"] = new JsonObject
            {
                ["ids"] = new JsonArray($"crampsense_{id}"),
                ["name"] = deviceName,
                ["mf"] = "CrampSense",
                ["mdl"] = "CrampSense EMG wearable",
                ["sw"] = softwareVersion,
            },
            ["o"] = new JsonObject
            {
                ["name"] = OriginName,
                ["sw"] = softwareVersion,
            },
            ["availability"] = new JsonArray(new JsonObject
            {
                ["topic"] = topics.Status,
                ["value_template"] = "{{ value_json.state }}",
                ["payload_available"] = StatusMessage.Online,
                ["payload_not_available"] = StatusMessage.Offline,
            }),
            ["qos"] = 1,
            ["cmps"] = components,
        };
    }
}
