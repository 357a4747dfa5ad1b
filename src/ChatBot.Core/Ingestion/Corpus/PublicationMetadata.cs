using System.Text.Json;
using AngleSharp.Dom;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// The publication date a page states in its metadata, in order of trust: <c>article:published_time</c> (Open Graph),
/// JSON-LD <c>datePublished</c>, the common <c>meta name</c> dates, then the first <c>&lt;time datetime&gt;</c>. Never the
/// time the page was fetched or saved.
/// </summary>
public static class PublicationMetadata
{
    private static readonly string[] MetaSelectors =
    [
        "meta[property='article:published_time']", "meta[name='article:published_time']", "meta[itemprop='datePublished']",
    ];

    private static readonly string[] NamedMeta = ["date", "pubdate", "publishdate", "publish-date", "dc.date", "dc.date.issued", "dcterms.date", "sailthru.date", "parsely-pub-date"];

    public static DateOnly? Find(IDocument document)
    {
        foreach (var selector in MetaSelectors)
        {
            if (DateParsing.ParseValue(document.QuerySelector(selector)?.GetAttribute("content")) is { } date)
                return date;
        }
        if (JsonLd(document) is { } fromJson)
            return fromJson;
        foreach (var meta in document.QuerySelectorAll("meta[name]"))
        {
            if (NamedMeta.Contains(meta.GetAttribute("name")?.ToLowerInvariant()) && DateParsing.ParseValue(meta.GetAttribute("content")) is { } date)
                return date;
        }
        return DateParsing.ParseValue(document.QuerySelector("time[datetime]")?.GetAttribute("datetime"));
    }

    private static DateOnly? JsonLd(IDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            try
            {
                using var json = JsonDocument.Parse(script.TextContent);
                if (DatePublished(json.RootElement) is { } date)
                    return date;
            }
            catch (JsonException)
            {
                // A page's broken JSON-LD is not the article's fault: the other metadata still count.
            }
        }
        return null;
    }

    /// <summary>The first <c>datePublished</c> in the JSON-LD tree (an object, an array, or an <c>@graph</c>).</summary>
    private static DateOnly? DatePublished(JsonElement element, int depth = 0)
    {
        if (depth > 8)
            return null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("datePublished", out var value) && value.ValueKind == JsonValueKind.String && DateParsing.ParseValue(value.GetString()) is { } date)
                    return date;
                foreach (var property in element.EnumerateObject())
                {
                    if (DatePublished(property.Value, depth + 1) is { } nested)
                        return nested;
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (DatePublished(item, depth + 1) is { } nested)
                        return nested;
                }
                break;
        }
        return null;
    }
}
