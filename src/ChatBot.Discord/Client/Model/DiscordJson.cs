using System.Text.Json.Serialization;
using ChatBot.Discord.Client.Gateway;

namespace ChatBot.Discord.Client.Model;

/// <summary>
/// Discord's JSON, source-generated: snake_case names (<c>channel_id</c>), null members left out. Every payload the
/// bot reads or writes goes through <see cref="Default"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(HelloEvent))]
[JsonSerializable(typeof(ReadyEvent))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(DiscordInteraction))]
[JsonSerializable(typeof(DiscordChannel))]
[JsonSerializable(typeof(GatewayBotResponse))]
[JsonSerializable(typeof(RateLimitResponse))]
[JsonSerializable(typeof(MessagePayload))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(ThreadCreate))]
[JsonSerializable(typeof(IReadOnlyList<ApplicationCommand>))]
[JsonSerializable(typeof(IdentifyCommand))]
[JsonSerializable(typeof(ResumeCommand))]
[JsonSerializable(typeof(int?))]
public sealed partial class DiscordJson : JsonSerializerContext;
