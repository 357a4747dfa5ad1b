using System.ComponentModel.DataAnnotations;

namespace ChatBot.Sources;

/// <summary>
/// Web sources (<c>ChatBot:Sources</c>): feeds and sitemaps polled on a schedule, single pages, and how politely they
/// are fetched.
/// </summary>
public sealed class SourcesOptions
{
    public const string SectionName = "ChatBot:Sources";

    /// <summary>RSS 2.0 or Atom feeds, sitemaps (news sitemaps and sitemap indexes too): <c>ChatBot__Sources__Feeds__0</c>, …</summary>
    public List<string> Feeds { get; set; } = [];

    /// <summary>Single article URLs: <c>ChatBot__Sources__Pages__0</c>, …</summary>
    public List<string> Pages { get; set; } = [];

    /// <summary>How often each source is polled (spread by ±10 %).</summary>
    [Range(1, 24 * 60)]
    public int PollMinutes { get; set; } = 15;

    /// <summary>The product token robots.txt groups are matched against, and the start of the User-Agent header.</summary>
    [Required, RegularExpression("^[A-Za-z_-]+$")]
    public string UserAgent { get; set; } = "CorpusChatBot";

    /// <summary>A page that says who runs this bot and how to reach them, sent in the User-Agent (recommended).</summary>
    public string? ContactUrl { get; set; }

    /// <summary>The least time between two requests to one host; a robots.txt <c>Crawl-delay</c> above it wins.</summary>
    [Range(0, 60_000)]
    public int PerHostIntervalMs { get; set; } = 1000;

    /// <summary>How long one request may take, retries included.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Retries of a request that failed for a passing reason (a 5xx, 408, 429, a connection error).</summary>
    [Range(0, 5)]
    public int Retries { get; set; } = 2;

    /// <summary>The first retry's wait (doubling, with jitter; a Retry-After header wins).</summary>
    [Range(0, 60_000)]
    public int RetryDelayMs { get; set; } = 1000;

    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>The most bytes read from one response, as sent.</summary>
    [Range(1024, 1L << 30)]
    public long MaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The most bytes one response may become once decompressed (a gzip bomb stops here).</summary>
    [Range(1024, 1L << 31)]
    public long MaxDecompressedBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>The most pages fetched from one source in one poll (new ones first); the rest wait for the next poll.</summary>
    [Range(1, 100_000)]
    public int MaxPagesPerPoll { get; set; } = 200;

    /// <summary>Fetch pages of one poll on several hosts at once (one request at a time per host still).</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;

    public bool Enabled => Feeds.Count > 0 || Pages.Count > 0;

    public string UserAgentHeader => ContactUrl is { Length: > 0 } contact ? $"{UserAgent}/1.0 (+{contact})" : $"{UserAgent}/1.0";
}
