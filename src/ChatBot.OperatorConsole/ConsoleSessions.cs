using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ChatBot.OperatorConsole;

/// <summary>A logged-in operator: the cookie's random id maps to this, with the token every form must send back.</summary>
public sealed record ConsoleSession(string Id, string Csrf, DateTimeOffset Expires);

/// <summary>Sessions in memory (one console per replica; a restart logs everyone out), each with its own CSRF token.</summary>
public sealed class ConsoleSessions(IOptions<ConsoleOptions> options, TimeProvider time)
{
    public const string Cookie = "chatbot_console";

    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    public ConsoleSession Create()
    {
        var now = time.GetUtcNow();
        foreach (var expired in _sessions.Values.Where(s => s.Expires <= now))
            _sessions.TryRemove(expired.Id, out _);
        var session = new ConsoleSession(RandomToken(), RandomToken(), now + TimeSpan.FromHours(options.Value.SessionHours));
        _sessions[session.Id] = session;
        return session;
    }

    public ConsoleSession? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session))
            return null;
        if (session.Expires > time.GetUtcNow())
            return session;
        _sessions.TryRemove(id, out _);
        return null;
    }

    public void End(string id) => _sessions.TryRemove(id, out _);

    private static string RandomToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
