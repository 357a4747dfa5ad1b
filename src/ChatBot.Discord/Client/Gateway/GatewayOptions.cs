namespace ChatBot.Discord.Client.Gateway;

/// <summary>How the gateway client connects: no bot logic, only the protocol's parameters.</summary>
public sealed record GatewayOptions(string Token, GatewayIntents Intents)
{
    /// <summary>Overrides the URL from <c>GET /gateway/bot</c> (tests point it at 127.0.0.1).</summary>
    public string? GatewayUrl { get; init; }

    public int? ShardId { get; init; }
    public int? ShardCount { get; init; }

    /// <summary>The first heartbeat comes after <c>interval × jitter</c>; injectable so tests know when.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(60);
}
