using System.Text.Json.Nodes;
using CrampSense.Contract;
using CrampSense.Messaging.HomeAssistant;
using Xunit;

namespace CrampSense.Messaging.Tests;

public sealed class HomeAssistantDiscoveryTests
{
    private static readonly ContractTopics Topics = new("pi-01");

    [Fact]
    public void Build_DeviceBasedConfig_HasDevOriginAndComponentsEachWithPlatformAndUniqueId()
    {
        var config = JsonNode.Parse(HomeAssistantDiscovery.Build(Topics, "Left leg", ["calf", "hamstring"], "1.2.3").ToJsonString())!.AsObject();

        Assert.Equal("Left leg", (string?)config["dev"]!["name"]);
        Assert.Equal("crampsense_pi-01", (string?)config["dev"]!["ids"]![0]);
        Assert.Equal("CrampSense", (string?)config["o"]!["name"]);
        Assert.Equal("1.2.3", (string?)config["o"]!["sw"]);
        var components = config["cmps"]!.AsObject();
        Assert.All(components, c =>
        {
            Assert.False(string.IsNullOrEmpty((string?)c.Value!["p"]));
            Assert.Equal(c.Key, (string?)c.Value!["unique_id"]);
            Assert.Matches("^[a-zA-Z0-9_-]+$", c.Key);
        });
        var uniqueIds = components.Select(c => (string?)c.Value!["unique_id"]).ToList();
        Assert.Equal(uniqueIds.Count, uniqueIds.Distinct().Count());
    }

    [Fact]
    public void Build_Components_BinarySensorPerSiteSensorsAndPromptEvent()
    {
        var components = HomeAssistantDiscovery.Build(Topics, "pi-01", ["calf", "hamstring"], "1").AsObject()["cmps"]!.AsObject();

        string Platform(string key) => (string)components[key]!["p"]!;
        Assert.Equal("binary_sensor", Platform("pi-01_calf_cramp"));
        Assert.Equal("binary_sensor", Platform("pi-01_hamstring_cramp"));
        Assert.Equal("sensor", Platform("pi-01_calf_skin_temp"));
        Assert.Equal("temperature", (string?)components["pi-01_calf_skin_temp"]!["device_class"]);
        Assert.Equal("sensor", Platform("pi-01_cramps_today"));
        Assert.Equal("sensor", Platform("pi-01_last_cramp_duration"));
        Assert.Equal("event", Platform("pi-01_prompt"));
        Assert.Equal(Topics.Prompt, (string?)components["pi-01_prompt"]!["state_topic"]);
        Assert.Equal(PromptMessage.Kinds, components["pi-01_prompt"]!["event_types"]!.AsArray().Select(k => (string)k!));
        Assert.Equal(Topics.Event, (string?)components["pi-01_calf_cramp"]!["state_topic"]);
        Assert.Contains("'calf'", (string?)components["pi-01_calf_cramp"]!["value_template"]);
    }

    [Fact]
    public void Build_FeedbackButtons_PublishACommandForTheLastCrampOrNowToTheFeedbackTopic()
    {
        var components = HomeAssistantDiscovery.Build(Topics, "pi-01", ["calf"], "1").AsObject()["cmps"]!.AsObject();

        foreach (var (key, command, eventId) in new[] { ("pi-01_confirm_last_cramp", "confirm", "last"), ("pi-01_reject_last_cramp", "reject", "last"), ("pi-01_report_cramp_now", "cramp_now", null) })
        {
            var button = components[key]!;
            Assert.Equal(("button", Topics.Feedback, 1), ((string?)button["p"], (string?)button["command_topic"], (int?)button["qos"]));

            // Rendered as Home Assistant would (its clock's now() in both places), the template is a valid command.
            var rendered = ((string)button["command_template"]!)
                .Replace("{{ (now().timestamp() * 1000) | int }}", "1764727200123", StringComparison.Ordinal)
                .Replace("{{ now().isoformat() }}", "2026-12-03T03:00:00.123456+01:00", StringComparison.Ordinal);
            Assert.DoesNotContain("{{", rendered, StringComparison.Ordinal);
            var parsed = FeedbackCommand.TryParse(System.Text.Encoding.UTF8.GetBytes(rendered), "pi-01", new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero), out var read, out var reason, out _, out _);
            Assert.True(parsed, reason);
            Assert.Equal((command, eventId, $"ha-1764727200123-{command}"), (read!.Command, read.EventId, read.Id));
        }
    }

    [Fact]
    public void Build_DeviceTriggers_OnePerSiteAndCrampEventTypeMatchingOnlyThatSiteAndType()
    {
        var components = HomeAssistantDiscovery.Build(Topics, "pi-01", ["calf", "hamstring"], "1").AsObject()["cmps"]!.AsObject();

        var triggers = components.Where(c => (string?)c.Value!["p"] == "device_automation").Select(c => c.Value!).ToList();
        Assert.Equal(6, triggers.Count);
        Assert.All(triggers, t =>
        {
            Assert.Equal(("trigger", Topics.Event, "{{ value_json.type }} {{ value_json.site }}"), ((string?)t["automation_type"], (string?)t["topic"], (string?)t["value_template"]));
            Assert.Equal($"{t["type"]} {t["subtype"]}", (string?)t["payload"]);
        });
        Assert.Equal(
            ["cramp_ended calf", "cramp_ended hamstring", "cramp_started calf", "cramp_started hamstring", "cramp_warning calf", "cramp_warning hamstring"],
            triggers.Select(t => (string)t["payload"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_Availability_FollowsTheStatusTopicState()
    {
        var availability = HomeAssistantDiscovery.Build(Topics, "pi-01", ["calf"], "1")["availability"]!.AsArray().Single()!;
        Assert.Equal(Topics.Status, (string?)availability["topic"]);
        Assert.Equal("online", (string?)availability["payload_available"]);
        Assert.Equal("offline", (string?)availability["payload_not_available"]);
        Assert.Equal("{{ value_json.state }}", (string?)availability["value_template"]);
    }
}
