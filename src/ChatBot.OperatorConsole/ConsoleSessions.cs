using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ChatBot.OperatorConsole;

/// <summary>A page for a signed-in operator: the antiforgery token its forms send back.</summary>
public sealed record ConsoleSession(string Csrf);

/// <summary>
/// Where the cookie authentication keeps the operators' sessions: in memory, so the cookie carries only a random key,
/// signing out ends the session on the server (a copied cookie is worthless after it), and a restart signs everyone
/// out. One console per replica.
/// </summary>
public sealed class ConsoleSessions(TimeProvider time) : ITicketStore
{
    public const string Cookie = "chatbot_console";

    private readonly ConcurrentDictionary<string, AuthenticationTicket> _tickets = new(StringComparer.Ordinal);

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var now = time.GetUtcNow();
        foreach (var (key, expired) in _tickets.Where(t => t.Value.Properties.ExpiresUtc <= now))
            _tickets.TryRemove(key, out _);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _tickets[id] = ticket;
        return Task.FromResult(id);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        _tickets[key] = ticket;
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(_tickets.TryGetValue(key, out var ticket) && ticket.Properties.ExpiresUtc > time.GetUtcNow() ? ticket : null);

    public Task RemoveAsync(string key)
    {
        _tickets.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>The scheme's name: cookies, kept here.</summary>
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
}
