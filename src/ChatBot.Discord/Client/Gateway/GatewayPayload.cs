using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatBot.Discord.Client.Gateway;

/// <summary>A Gateway frame: <c>{op, d, s, t}</c>.</summary>
public sealed record GatewayPayload(
    [property: JsonPropertyName("op")] int Op,
    [property: JsonPropertyName("d")] JsonElement D,
    [property: JsonPropertyName("s")] int? S,
    [property: JsonPropertyName("t")] string? T);

public static class GatewayOpCode
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

[Flags]
public enum GatewayIntents
{
    None = 0,
    Guilds = 1,
    GuildMessages = 512,
    DirectMessages = 4096,
    MessageContent = 32768,
}

/// <summary>An event the gateway dispatched (op 0): its name, sequence number and data.</summary>
public sealed record GatewayDispatch(string Type, int Sequence, JsonElement Data);
