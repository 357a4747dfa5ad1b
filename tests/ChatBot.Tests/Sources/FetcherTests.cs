using ChatBot.FixtureSite;
using ChatBot.Sources;
using ChatBot.Sources.Fetching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Sources;

/// <summary>The polite fetcher against a real local site: robots.txt, politeness, conditional GETs and every hostile case.</summary>
public sealed class FetcherTests
{
    internal static (IHost Host, PoliteFetcher Fetcher) Create(Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ChatBot:Sources:PerHostIntervalMs"] = "0",
            // Long enough for a loaded machine to read and decompress 20 MB; the hang test shortens it.
            ["ChatBot:Sources:TimeoutSeconds"] = "30",
            ["ChatBot:Sources:Retries"] = "0",
            ["ChatBot:Sources:ContactUrl"] = "https://bot.example/contact",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        if (time is not null)
            builder.Services.AddSingleton(time);
        builder.AddWebSources();
        var host = builder.Build();
        return (host, host.Services.GetRequiredService<PoliteFetcher>());
    }

    private static SiteArticle Article(string slug) => new(slug, "Titre " + slug, new DateOnly(2025, 3, 1), ["Un paragraphe d'article assez long pour être lu comme tel par l'extracteur."]);

    [Fact]
    public async Task A_path_robots_txt_disallows_is_never_requested_and_the_user_agent_names_the_bot_and_its_contact()
    {
        await using var site = await NewsSite.StartAsync([Article("a")]);
        var (host, fetcher) = Create();
        using var _ = host;

        var refused = await fetcher.FetchAsync(site.Url("/private/secret"), FetchKind.Page, null, TestContext.Current.CancellationToken);
        var allowed = await fetcher.FetchAsync(site.Url("/articles/a"), FetchKind.Page, null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Disallowed, refused.Status);
        Assert.Equal(FetchStatus.Ok, allowed.Status);
        Assert.Equal(0, site.RequestsTo("/private/"));
        Assert.Equal(1, site.RequestsTo("/robots.txt")); // read once per host, not per page
        Assert.All(site.UserAgents, ua => Assert.Equal("CorpusChatBot/1.0 (+https://bot.example/contact)", ua));
    }

    [Fact]
    public async Task An_unreachable_robots_txt_allows_nothing_and_a_missing_one_allows_everything()
    {
        await using var site = await NewsSite.StartAsync([Article("a")]);
        site.Robots = null; // 404: no rules
        var (host, fetcher) = Create();
        using var _ = host;
        var missing = await fetcher.FetchAsync(site.Url("/articles/a"), FetchKind.Page, null, TestContext.Current.CancellationToken);

        site.RobotsStatus = 503; // unreachable: complete disallow (RFC 9309 2.3.1.4)
        var (other, fresh) = Create();
        using var __ = other;
        var unreachable = await fresh.FetchAsync(site.Url("/articles/a"), FetchKind.Page, null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Ok, missing.Status);
        Assert.Equal(FetchStatus.Disallowed, unreachable.Status);
        Assert.Equal(1, site.RequestsTo("/articles/a"));
    }

    [Fact]
    public async Task The_validators_of_a_fetch_make_the_next_one_a_304_with_no_body()
    {
        await using var site = await NewsSite.StartAsync([Article("a")]);
        var (host, fetcher) = Create();
        using var _ = host;

        var first = await fetcher.FetchAsync(site.Url("/articles/a"), FetchKind.Page, null, TestContext.Current.CancellationToken);
        var second = await fetcher.FetchAsync(site.Url("/articles/a"), FetchKind.Page, first.Validators, TestContext.Current.CancellationToken);

        Assert.NotNull(first.ETag);
        Assert.Equal(FetchStatus.NotModified, second.Status);
        Assert.Empty(second.Body);
    }

    [Theory]
    [InlineData("/hostile/huge", "more than 5,242,880 bytes")]
    [InlineData("/hostile/bomb", "decompresses to more than 20,971,520 bytes")]
    [InlineData("/hostile/loop", "redirect loop")]
    [InlineData("/hostile/hang", "no answer within 2 s")]
    [InlineData("/hostile/image", "served as image/png, not HTML")]
    public async Task A_hostile_page_is_a_failure_with_its_reason_and_nothing_more(string path, string reason)
    {
        await using var site = await NewsSite.StartAsync([Article("a")]);
        var (host, fetcher) = Create(path == "/hostile/hang" ? new() { ["ChatBot:Sources:TimeoutSeconds"] = "2" } : null);
        using var _ = host;

        var result = await fetcher.FetchAsync(site.Url(path), FetchKind.Page, null, TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Body);
    }

    [Fact]
    public async Task More_redirects_than_the_limit_stop()
    {
        await using var site = await NewsSite.StartAsync([Article("a")]);
        var (host, fetcher) = Create(new() { ["ChatBot:Sources:MaxRedirects"] = "0" });
        using var _ = host;

        var result = await fetcher.FetchAsync(site.Url("/hostile/loop"), FetchKind.Page, null, TestContext.Current.CancellationToken);

        Assert.Contains("more than 0 redirects", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_to_one_host_wait_for_the_interval_or_the_longer_crawl_delay()
    {
        await using var site = await NewsSite.StartAsync([Article("a")]);
        site.Robots = "User-agent: *\nCrawl-delay: 5\n";
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var (host, fetcher) = Create(new() { ["ChatBot:Sources:PerHostIntervalMs"] = "1000" }, time);
        using var _ = host;
        var waits = new List<(string Path, TimeSpan Wait)>();
        var waiting = new TaskCompletionSource();
        fetcher.Waiting += (url, wait) =>
        {
            lock (waits)
                waits.Add((url.AbsolutePath, wait));
            waiting.TrySetResult();
        };

        var fetch = fetcher.FetchAsync(site.Url("/articles/a"), FetchKind.Page, null, TestContext.Current.CancellationToken);
        await waiting.Task.WaitAsync(TestContext.Current.CancellationToken);
        // robots.txt went out; the page waits for the 5 s crawl delay, not the 1 s interval.
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(fetch.IsCompleted);
        Assert.Equal(0, site.RequestsTo("/articles/a"));
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await fetch;

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(("/articles/a", TimeSpan.FromSeconds(5)), Assert.Single(waits));
        Assert.Equal(1, site.RequestsTo("/articles/a"));
    }
}
