using System.Globalization;
using System.Text;

namespace ChatBot.Sources.Fetching;

/// <summary>
/// A robots.txt read as RFC 9309 says: the groups whose <c>user-agent</c> matches the crawler's product token
/// (case-insensitively; several such groups merge), else the <c>*</c> groups, else everything is allowed; within them
/// the longest matching <c>allow</c>/<c>disallow</c> path wins, <c>allow</c> on a tie; <c>*</c> matches any characters
/// and a final <c>$</c> the end of the path; <c>/robots.txt</c> itself is always allowed. <c>Crawl-delay</c> (not in the
/// RFC, widely used) is kept for the matched groups.
/// </summary>
public sealed class RobotsTxt
{
    /// <summary>RFC 9309 2.5: at least 500 KiB are parsed; the rest is ignored.</summary>
    public const int MaxParsedBytes = 500 * 1024;

    private readonly List<Group> _groups;

    private RobotsTxt(List<Group> groups, bool disallowAll)
    {
        _groups = groups;
        DisallowAll = disallowAll;
    }

    /// <summary>Everything may be fetched (no robots.txt: a 4xx answer).</summary>
    public static RobotsTxt AllowAll { get; } = new([], false);

    /// <summary>Nothing may be fetched (robots.txt unreachable: a 5xx answer or no connection, RFC 9309 2.3.1.4).</summary>
    public static RobotsTxt Unreachable { get; } = new([], true);

    public bool DisallowAll { get; }

    public static RobotsTxt Parse(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) > MaxParsedBytes)
            text = text[..Math.Min(text.Length, MaxParsedBytes)];
        var groups = new List<Group>();
        Group? current = null;
        var lastWasAgent = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
                line = line[..hash];
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                continue;
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "user-agent":
                    if (current is null || !lastWasAgent)
                    {
                        current = new Group();
                        groups.Add(current);
                    }
                    current.Agents.Add(ProductToken(value));
                    lastWasAgent = true;
                    continue;
                case "allow" or "disallow" when current is not null:
                    if (value.Length > 0)
                        current.Rules.Add(new Rule(Normalise(value), key == "allow"));
                    break;
                case "crawl-delay" when current is not null:
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                        current.CrawlDelay = TimeSpan.FromSeconds(Math.Min(seconds, 3600));
                    break;
            }
            lastWasAgent = false;
        }
        return new RobotsTxt(groups, false);
    }

    /// <summary>Whether <paramref name="agent"/> may fetch <paramref name="pathAndQuery"/> (the URL's path and query).</summary>
    public bool IsAllowed(string agent, string pathAndQuery)
    {
        if (pathAndQuery.Equals("/robots.txt", StringComparison.OrdinalIgnoreCase))
            return true;
        if (DisallowAll)
            return false;
        var path = Normalise(pathAndQuery.Length == 0 ? "/" : pathAndQuery);
        Rule? best = null;
        foreach (var rule in Matching(agent).SelectMany(g => g.Rules))
        {
            if (!rule.Matches(path))
                continue;
            if (best is null || rule.Length > best.Length || rule.Length == best.Length && rule.Allow && !best.Allow)
                best = rule;
        }
        return best?.Allow ?? true;
    }

    /// <summary>The <c>Crawl-delay</c> of the groups that apply to <paramref name="agent"/>, if any.</summary>
    public TimeSpan? CrawlDelay(string agent) => Matching(agent).Select(g => g.CrawlDelay).Where(d => d is not null).DefaultIfEmpty(null).Max();

    private List<Group> Matching(string agent)
    {
        var token = ProductToken(agent);
        var named = _groups.Where(g => g.Agents.Any(a => a.Equals(token, StringComparison.OrdinalIgnoreCase))).ToList();
        return named.Count > 0 ? named : _groups.Where(g => g.Agents.Contains("*")).ToList();
    }

    /// <summary>"FooBot/1.2 (+https://…)" matches groups for "foobot": the product token is letters, '_' and '-'.</summary>
    private static string ProductToken(string value)
    {
        var trimmed = value.Trim();
        if (trimmed == "*")
            return "*";
        var end = 0;
        while (end < trimmed.Length && (char.IsAsciiLetter(trimmed[end]) || trimmed[end] is '_' or '-'))
            end++;
        return trimmed[..end];
    }

    /// <summary>Percent-encoded octets of unreserved characters compare as the characters; everything else as written.</summary>
    private static string Normalise(string path)
    {
        if (!path.Contains('%', StringComparison.Ordinal))
            return path;
        var builder = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && int.TryParse(path.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var octet)
                && (char.IsAsciiLetterOrDigit((char)octet) || (char)octet is '-' or '.' or '_' or '~'))
            {
                builder.Append((char)octet);
                i += 2;
            }
            else
            {
                builder.Append(path[i]);
            }
        }
        return builder.ToString();
    }

    private sealed class Group
    {
        public List<string> Agents { get; } = [];
        public List<Rule> Rules { get; } = [];
        public TimeSpan? CrawlDelay { get; set; }
    }

    private sealed record Rule(string Pattern, bool Allow)
    {
        public int Length => Pattern.Length;

        public bool Matches(string path)
        {
            var anchored = Pattern.EndsWith('$');
            var pattern = anchored ? Pattern[..^1] : Pattern;
            return Match(pattern, 0, path, 0, anchored);
        }

        private static bool Match(string pattern, int p, string path, int s, bool anchored)
        {
            while (p < pattern.Length)
            {
                if (pattern[p] == '*')
                {
                    while (p < pattern.Length && pattern[p] == '*')
                        p++;
                    if (p == pattern.Length)
                        return true;
                    for (var k = s; k <= path.Length; k++)
                    {
                        if (Match(pattern, p, path, k, anchored))
                            return true;
                    }
                    return false;
                }
                if (s >= path.Length || pattern[p] != path[s])
                    return false;
                p++;
                s++;
            }
            return !anchored || s == path.Length;
        }
    }
}
