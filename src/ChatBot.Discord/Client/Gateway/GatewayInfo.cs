namespace ChatBot.Discord.Client.Gateway;

/// <summary>
/// What <c>GET /gateway/bot</c> says: where to connect, and the session-start budget (<c>session_start_limit</c>):
/// identifies left until <see cref="ResetAfter"/>, and how many may start together in 5 s.
/// </summary>
public sealed record GatewayInfo(string Url, int Total, int Remaining, TimeSpan ResetAfter, int MaxConcurrency);

/// <summary>A wait of the gateway client in progress: why, how long, and when it ends.</summary>
public sealed record GatewayWait(string Reason, TimeSpan Delay, DateTimeOffset Due);
