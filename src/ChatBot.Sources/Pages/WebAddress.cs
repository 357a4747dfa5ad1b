using System.Security.Cryptography;
using System.Text;

namespace ChatBot.Sources.Pages;

/// <summary>
/// A page's identity: its URL without what only tracks the reader (<c>utm_*</c>, <c>fbclid</c>, <c>xtor</c>…) or points
/// inside it (the fragment), host in lower case and no default port, so that one story reached by two links is one
/// article.
/// </summary>
public static class WebAddress
{
    private static readonly HashSet<string> Tracking = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "xtor", "at_medium", "at_campaign", "at_source", "igshid", "_ga", "ref_src", "cmpid", "ocid",
    };

    /// <summary>An absolute http(s) URL, or null for anything else (another scheme, a relative path, garbage).</summary>
    public static Uri? Parse(string? value, Uri? relativeTo = null)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var ok = relativeTo is null ? Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) : Uri.TryCreate(relativeTo, value.Trim(), out uri);
        return ok && uri is { Scheme: "http" or "https" } ? uri : null;
    }

    public static string Canonical(Uri uri)
    {
        var builder = new UriBuilder(uri) { Fragment = "", Host = uri.Host.ToLowerInvariant() };
        if (uri.IsDefaultPort)
            builder.Port = -1;
        var kept = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsTracking(p.Split('=')[0]))
            .ToList();
        builder.Query = string.Join('&', kept);
        var text = builder.Uri.AbsoluteUri;
        return text;
    }

    private static bool IsTracking(string name)
    {
        var key = Uri.UnescapeDataString(name);
        return key.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || Tracking.Contains(key);
    }

    /// <summary>The article id of a page: stable for its canonical URL, readable in logs ("web_" and 16 hex digits).</summary>
    public static string ArticleId(string canonical) =>
        "web_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];

    /// <summary>The host a politeness budget and a robots.txt belong to (scheme, host, port).</summary>
    public static string Authority(Uri uri) => uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
}
