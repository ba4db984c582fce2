using MQTTnet;

namespace CrampSense.Bridge.Pipeline;

/// <summary>A message as received, with the number of the connection it came on (its packet id means something only there).</summary>
internal readonly record struct ReceivedMessage(MqttApplicationMessageReceivedEventArgs Args, long Connection);

/// <summary>A valid message's line of line protocol, waiting to be written and then acknowledged.</summary>
internal readonly record struct PendingPoint(string Line, ReceivedMessage Received);
