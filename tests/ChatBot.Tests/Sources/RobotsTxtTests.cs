using ChatBot.Sources.Fetching;

namespace ChatBot.Tests.Sources;

/// <summary>robots.txt as RFC 9309 reads it, with the RFC's own examples (section 5).</summary>
public sealed class RobotsTxtTests
{
    private const string SimpleExample = """
        User-Agent: *
        Disallow: *.gif$
        Disallow: /example/
        Allow: /publications/

        User-Agent: foobot
        Disallow:/
        Allow:/example/page.html
        Allow:/example/allowed.gif

        User-Agent: barbot
        User-Agent: bazbot
        Disallow: /example/page.html

        User-Agent: quxbot

        EOF
        """;

    [Theory]
    // foobot: its own group only; the longest rule wins.
    [InlineData("foobot", "/example/page.html", true)]
    [InlineData("foobot", "/example/allowed.gif", true)]
    [InlineData("foobot", "/example/disallowed.gif", false)]
    [InlineData("foobot", "/publications/", false)]
    [InlineData("FooBot/2.1 (+https://example.org)", "/example/page.html", true)] // product token, any case
    // barbot and bazbot share one group.
    [InlineData("barbot", "/example/page.html", false)]
    [InlineData("bazbot", "/example/page.html", false)]
    [InlineData("bazbot", "/example/other.gif", true)] // the * group does not apply to a named bot
    // quxbot: an empty group allows everything.
    [InlineData("quxbot", "/example/page.html", true)]
    // any other bot: the * group, with wildcards and the end anchor.
    [InlineData("otherbot", "/example/page.html", false)]
    [InlineData("otherbot", "/images/cat.gif", false)]
    [InlineData("otherbot", "/images/cat.gifs", true)]
    [InlineData("otherbot", "/publications/", true)]
    [InlineData("otherbot", "/robots.txt", true)]
    public void The_simple_example_of_RFC_9309(string agent, string path, bool allowed) =>
        Assert.Equal(allowed, RobotsTxt.Parse(SimpleExample).IsAllowed(agent, path));

    [Theory]
    [InlineData("/example/page/", true)]
    [InlineData("/example/page/disallowed.gif", false)]
    public void The_longest_match_example_of_RFC_9309(string path, bool allowed)
    {
        var robots = RobotsTxt.Parse("User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n");
        Assert.Equal(allowed, robots.IsAllowed("foobot", path));
    }

    [Fact]
    public void An_allow_and_a_disallow_of_equal_length_allow()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nDisallow: /page\nAllow: /page\n");
        Assert.True(robots.IsAllowed("bot", "/page"));
    }

    [Fact]
    public void Percent_encoded_unreserved_characters_match_as_themselves_and_comments_are_ignored()
    {
        var robots = RobotsTxt.Parse("# site rules\nUser-agent: * # everyone\nDisallow: /%7Ejoe/ # joe's pages\n");
        Assert.False(robots.IsAllowed("bot", "/~joe/index.html"));
        Assert.True(robots.IsAllowed("bot", "/joe/index.html"));
    }

    [Fact]
    public void Crawl_delay_is_read_for_the_matching_group()
    {
        var robots = RobotsTxt.Parse("User-agent: slowbot\nCrawl-delay: 2.5\nDisallow:\n\nUser-agent: *\nCrawl-delay: 10\n");
        Assert.Equal(TimeSpan.FromSeconds(2.5), robots.CrawlDelay("slowbot"));
        Assert.Equal(TimeSpan.FromSeconds(10), robots.CrawlDelay("other"));
    }

    [Fact]
    public void Unreachable_disallows_all_but_robots_txt_and_no_file_allows_all()
    {
        Assert.False(RobotsTxt.Unreachable.IsAllowed("bot", "/anything"));
        Assert.True(RobotsTxt.AllowAll.IsAllowed("bot", "/anything"));
        Assert.True(RobotsTxt.Parse("").IsAllowed("bot", "/anything"));
    }
}
