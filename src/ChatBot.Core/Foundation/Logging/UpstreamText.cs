namespace ChatBot.Core.Foundation.Logging;

/// <summary>
/// What a platform or a proxy in front of it answered, made fit for a log line: secrets the bot sent (its token,
/// which a proxy may echo with the URL or the Authorization header) replaced by <c>***</c>, one line, and cut to a
/// few hundred characters (an HTML error page is not a log message).
/// </summary>
public static class UpstreamText
{
    public const int MaxChars = 300;

    public static string Scrub(string? text, params string?[] secrets)
    {
        var line = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret) || secret.Length < 8)
                continue;
            line = line.Replace(secret, "***", StringComparison.Ordinal);
            // A Telegram token is "<bot id>:<secret>": the secret part alone is as dangerous.
            var colon = secret.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && secret.Length - colon > 8)
                line = line.Replace(secret[(colon + 1)..], "***", StringComparison.Ordinal);
        }
        return line.Length <= MaxChars ? line : line[..MaxChars] + " …";
    }
}
