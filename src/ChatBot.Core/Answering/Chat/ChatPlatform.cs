namespace ChatBot.Core.Answering.Chat;

/// <summary>Registered by each chat adapter that is configured, so the host can tell when none is.</summary>
public sealed record ChatPlatform(string Name);
