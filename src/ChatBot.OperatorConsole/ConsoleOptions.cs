using System.ComponentModel.DataAnnotations;

namespace ChatBot.OperatorConsole;

/// <summary>Settings of the operator console (section <c>ChatBot:Console</c>).</summary>
public sealed class ConsoleOptions : IValidatableObject
{
    public const string Section = "ChatBot:Console";
    public const int MinimumTokenLength = 32;

    /// <summary>Where the console listens, e.g. <c>http://127.0.0.1:8080</c>; empty (the default) turns it off.</summary>
    public string? Listen { get; set; }

    /// <summary>The admin token that opens a session; at least 32 characters.</summary>
    public string? Token { get; set; }

    /// <summary>How long a session lasts after login.</summary>
    public double SessionHours { get; set; } = 12;

    /// <summary>Days of questions the console reads (charts, content gaps, citations).</summary>
    public int Days { get; set; } = 30;

    /// <summary>
    /// Listening over plain HTTP on an address other than loopback sends the token and the session in clear: refused
    /// unless this is set (a private network the operator trusts). Serve it behind a TLS proxy instead.
    /// </summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary>
    /// The reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed (addresses), so that
    /// the console behind a TLS proxy knows it is served over HTTPS (Secure cookie, HSTS) and whom to slow down.
    /// Default: the loopback addresses.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Distinct characters a token needs at least: 32 times "a" is no secret.</summary>
    public const int MinimumDistinctCharacters = 10;

    public bool Enabled => !string.IsNullOrWhiteSpace(Listen);

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
            yield break;
        if ((Token?.Trim().Length ?? 0) < MinimumTokenLength)
            yield return new ValidationResult($"ChatBot:Console:Token (environment: ChatBot__Console__Token) must hold at least {MinimumTokenLength} characters when ChatBot:Console:Listen is set.");
        else if (Token!.Trim().Distinct().Count() < MinimumDistinctCharacters)
            yield return new ValidationResult($"ChatBot:Console:Token (environment: ChatBot__Console__Token) is too easy to guess: use at least {MinimumDistinctCharacters} different characters (for example `openssl rand -base64 32`).");
        if (!Uri.TryCreate(Listen, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            yield return new ValidationResult("ChatBot:Console:Listen must be an http(s) address to listen on, e.g. http://127.0.0.1:8080.");
        else if (uri.Scheme == "http" && !IsLoopback(uri.Host) && !AllowPlainHttp)
            yield return new ValidationResult(
                $"ChatBot:Console:Listen is plain HTTP on '{uri.Host}', reachable from other machines: the token would cross the network in clear. " +
                "Listen on 127.0.0.1 behind a TLS proxy, use https://, or set ChatBot:Console:AllowPlainHttp (environment: ChatBot__Console__AllowPlainHttp) to true.");
        foreach (var proxy in TrustedProxies)
        {
            if (!System.Net.IPAddress.TryParse(proxy, out _))
                yield return new ValidationResult($"ChatBot:Console:TrustedProxies: '{proxy}' is not an IP address.");
        }
        if (SessionHours <= 0)
            yield return new ValidationResult("ChatBot:Console:SessionHours must be positive.");
        if (Days < 1)
            yield return new ValidationResult("ChatBot:Console:Days must be at least 1.");
    }
}
