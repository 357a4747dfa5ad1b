using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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
public sealed partial class DiscordJson : JsonSerializerContext
{
    /// <summary>A payload as <typeparamref name="T"/>; one that lacks what the bot needs is malformed (<see cref="JsonException"/>).</summary>
    public static T Read<T>(JsonElement json, JsonTypeInfo<T> type) =>
        json.Deserialize(type) ?? throw Missing<T>();

    /// <inheritdoc cref="Read{T}(JsonElement, JsonTypeInfo{T})"/>
    public static T Read<T>(string? json, JsonTypeInfo<T> type) =>
        string.IsNullOrEmpty(json) ? throw Missing<T>() : JsonSerializer.Deserialize(json, type) ?? throw Missing<T>();

    private static JsonException Missing<T>() => new($"A Discord payload without its {typeof(T).Name}.");
}
