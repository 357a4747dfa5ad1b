namespace ChatBot.Discord.Client.Gateway;

public enum CloseAction
{
    /// <summary>Reconnect and resume the session.</summary>
    Resume,
    /// <summary>Reconnect with a new session (Identify).</summary>
    NewSession,
    /// <summary>Stop: retrying cannot help and would only burn Identify calls.</summary>
    Fatal,
}

/// <summary>Discord's close-code table: what each code means for the session, and what to tell the operator.</summary>
public static class GatewayCloseCodes
{
    public static CloseAction ActionFor(int? code) => code switch
    {
        4004 or 4010 or 4011 or 4012 or 4013 or 4014 => CloseAction.Fatal,
        4007 or 4009 => CloseAction.NewSession,
        _ => CloseAction.Resume,
    };

    public static string Explain(int code) => code switch
    {
        4004 => "Discord rejected the bot token (close 4004 Authentication failed). Check ChatBot:Discord:Token (environment: ChatBot__Discord__Token).",
        4010 => "Discord refused the shard (close 4010 Invalid shard). Check ChatBot:Discord:ShardId and ShardCount.",
        4011 => "Discord requires sharding for this bot (close 4011 Sharding required). Set ChatBot:Discord:ShardCount.",
        4012 => "Discord refused the gateway version (close 4012 Invalid API version).",
        4013 => "Discord refused the intents (close 4013 Invalid intents).",
        4014 => "Discord refused a privileged intent (close 4014 Disallowed intents): enable the Message Content intent in the Developer Portal (Bot → Privileged Gateway Intents).",
        _ => $"Discord closed the gateway with code {code}.",
    };
}

/// <summary>The gateway cannot continue (bad token, intents not enabled…); the message says what to fix.</summary>
public sealed class DiscordGatewayFatalException : Exception
{
    public DiscordGatewayFatalException(string message) : base(message) { }

    public DiscordGatewayFatalException() { }

    public DiscordGatewayFatalException(string message, Exception inner) : base(message, inner) { }

    public int? CloseCode { get; init; }
}
