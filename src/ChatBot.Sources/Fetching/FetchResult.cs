using System.Text;
using System.Text.RegularExpressions;

namespace ChatBot.Sources.Fetching;

/// <summary>What a fetch is for: it decides which content types are accepted.</summary>
public enum FetchKind
{
    Page,
    Feed,
    Robots,
}

public enum FetchStatus
{
    /// <summary>A body, within the limits, of an accepted type.</summary>
    Ok,

    /// <summary>304: the validators sent still hold; nothing was transferred.</summary>
    NotModified,

    /// <summary>404 or 410: the page is gone.</summary>
    Gone,

    /// <summary>The site's robots.txt does not allow it: never requested.</summary>
    Disallowed,

    /// <summary>Anything else, with a one-line reason.</summary>
    Failed,
}

/// <summary>The outcome of one fetch (redirects followed), with the validators to send next time.</summary>
public sealed partial record FetchResult(FetchStatus Status, Uri Url, string? Error = null)
{
    public int? StatusCode { get; init; }
    public byte[] Body { get; init; } = [];
    public string? MediaType { get; init; }
    public string? Charset { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>The validators as one string, to remember beside the article ("etag\nlast-modified").</summary>
    public string? Validators => ETag is null && LastModified is null ? null : $"{ETag}\n{LastModified}";

    public static (string? ETag, string? LastModified) ParseValidators(string? validators)
    {
        if (string.IsNullOrEmpty(validators))
            return (null, null);
        var parts = validators.Split('\n');
        return (parts[0].Length > 0 ? parts[0] : null, parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null);
    }

    /// <summary>
    /// The body as text: the charset of the Content-Type header, else a byte-order mark, else an HTML
    /// <c>&lt;meta charset&gt;</c> in the first 1,024 bytes, else UTF-8 (invalid bytes become U+FFFD).
    /// </summary>
    public string Text()
    {
        var encoding = Lookup(Charset);
        if (encoding is null)
        {
            var head = Encoding.ASCII.GetString(Body, 0, Math.Min(Body.Length, 1024));
            if (MetaCharset().Match(head) is { Success: true } m)
                encoding = Lookup(m.Groups[1].Value);
        }
        var span = Body.AsSpan();
        if (span.StartsWith("\xEF\xBB\xBF"u8))
            return Encoding.UTF8.GetString(span[3..]);
        return (encoding ?? Encoding.UTF8).GetString(span);
    }

    private static Encoding? Lookup(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        try
        {
            return Encoding.GetEncoding(name.Trim().Trim('"', '\''));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?([A-Za-z0-9_\-:.]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();
}
