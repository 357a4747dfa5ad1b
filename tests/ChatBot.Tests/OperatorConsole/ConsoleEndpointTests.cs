using System.Net;
using System.Text.RegularExpressions;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Digest;
using ChatBot.OperatorConsole;
using ChatBot.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatBot.Tests.OperatorConsole;

/// <summary>The console's routes through TestHost, over a real bot's services (seed corpus, SQLite file).</summary>
public sealed partial class ConsoleEndpointTests : IAsyncDisposable
{
    internal const string Token = "console-admin-token-0123456789abcdefghij";

    private readonly TestBot _bot = new();
    private WebApplication? _app;

    private async Task<HttpClient> StartAsync(Action<TestBot>? configure = null)
    {
        _bot.Settings["ChatBot:Console:Token"] = Token;
        configure?.Invoke(_bot);
        await _bot.SyncAsync();
        _app = ConsoleService.Build(_bot.Services, builder => builder.WebHost.UseTestServer());
        await _app.StartAsync(Ct);
        return _app.GetTestClient();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        await _bot.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string token) =>
        await client.PostAsync("/login", new FormUrlEncodedContent([new("token", token)]), Ct);

    /// <summary>Logs in and returns the session cookie header value.</summary>
    private static async Task<string> SessionAsync(HttpClient client)
    {
        var response = await LoginAsync(client, Token);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        return cookie.Split(';')[0];
    }

    private static async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(HttpClient client, string path, string? cookie, string language = "fr-FR,fr;q=0.9")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
            request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Accept-Language", language);
        var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string? cookie, params KeyValuePair<string, string>[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (cookie is not null)
            request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request, Ct);
    }

    private static string CsrfOf(string html) => CsrfField().Match(html).Groups[1].Value;

    private async Task AskAsync(string platform, string question)
    {
        var router = _bot.Services.GetRequiredService<CommandRouter>();
        var reply = await router.HandleAsync(BotCommands.Ask, question, new CommandContext(new ChatOrigin(platform, "42", "7"), 4000), Ct);
        Assert.NotNull(reply);
    }

    [Fact]
    public async Task The_health_page_lists_the_followed_sources_with_their_last_success_error_and_next_try()
    {
        await using var site = await ChatBot.FixtureSite.NewsSite.StartAsync(Sources.SiteArticles.All);
        var client = await StartAsync(bot =>
        {
            bot.Settings["ChatBot:Sources:Feeds:0"] = site.Url("feed.xml").AbsoluteUri;
            bot.Settings["ChatBot:Sources:Feeds:1"] = site.Url("hostile/malformed.xml").AbsoluteUri;
            bot.Settings["ChatBot:Sources:PerHostIntervalMs"] = "0";
        });
        await _bot.Services.GetRequiredService<ChatBot.Sources.SourceSync>().PollAllAsync(Ct);
        var cookie = await SessionAsync(client);

        var (_, html, _) = await GetAsync(client, "/", cookie);

        Assert.Contains("<h3 id=\"sources\">Sources suivies</h3>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><td><code>{site.Url("feed.xml")}</code></td><td>5</td><td>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr class=\"bad\"><td><code>{site.Url("hostile/malformed.xml")}</code></td><td>0</td><td>–</td><td>not a readable feed or sitemap", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_and_the_action_need_a_session()
    {
        var client = await StartAsync();

        foreach (var path in new[] { "/", "/questions", "/gaps", "/feedback", "/articles", "/articles/000_47b6786323e8e5c6" })
        {
            var (status, _, response) = await GetAsync(client, path, cookie: null);
            Assert.Equal(HttpStatusCode.Redirect, status);
            Assert.Equal("/login", response.Headers.Location?.OriginalString);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, "/reindex", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await GetAsync(client, "/", "chatbot_console=forged")).Status);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_with_no_hint_and_the_right_one_opens_a_strict_http_only_session()
    {
        var client = await StartAsync();

        var almost = await LoginAsync(client, Token[..^1]);
        var other = await LoginAsync(client, "x");
        var almostHtml = await almost.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, almost.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.False(almost.Headers.Contains("Set-Cookie"));
        Assert.Equal(almostHtml, await other.Content.ReadAsStringAsync(Ct)); // the same page, whatever was typed
        Assert.DoesNotContain(Token[..8], almostHtml, StringComparison.Ordinal);

        var ok = await LoginAsync(client, Token);
        var cookie = Assert.Single(ok.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var (status, html, response) = await GetAsync(client, "/", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"platforms\"", html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A signed-in session ready to post a form: the session cookie alone, the cookies a browser sends with the form
    /// (the session and the antiforgery cookie the home page set), and the home page whose form token goes with them.
    /// </summary>
    private static async Task<(string Session, string FormCookies, string Home)> FormSessionAsync(HttpClient client)
    {
        var session = await SessionAsync(client);
        var (_, home, page) = await GetAsync(client, "/", session);
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("chatbot_console_csrf", StringComparison.Ordinal)).Split(';')[0];
        return (session, session + "; " + antiforgery, home);
    }

    [Fact]
    public async Task Reindex_without_the_session_csrf_token_is_rejected_and_with_it_reports_the_counts()
    {
        var client = await StartAsync();
        var (_, cookie, home) = await FormSessionAsync(client);

        var missing = await PostAsync(client, "/reindex", cookie);
        var wrong = await PostAsync(client, "/reindex", cookie, KeyValuePair.Create("csrf", new string('0', 64)));
        var right = await PostAsync(client, "/reindex", cookie, KeyValuePair.Create("csrf", CsrfOf(home)));

        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var done = await right.Content.ReadAsStringAsync(Ct);
        Assert.True(done.Contains("Réindexation : 0 ajoutés, 0 mis à jour, 0 retirés, 5 inchangés. L&#x27;index compte 5 articles", StringComparison.Ordinal), done);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_opens_nothing()
    {
        var client = await StartAsync();
        var (session, cookie, home) = await FormSessionAsync(client);

        var logout = await PostAsync(client, "/logout", cookie, KeyValuePair.Create("csrf", CsrfOf(home)));
        var (after, _, _) = await GetAsync(client, "/", session); // the cookie as it was before signing out

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after);
    }

    [Fact]
    public async Task No_token_key_or_connection_string_appears_on_any_page()
    {
        const string telegram = "123456:telegram-secret-token-value";
        const string discord = "discord-secret-token-value";
        const string apiKey = "sk-secret-api-key-value";
        var client = await StartAsync(bot =>
        {
            bot.Settings["ChatBot:Telegram:Token"] = telegram;
            bot.Settings["ChatBot:Discord:Token"] = discord;
            bot.Settings["ChatBot:Ai:Provider"] = "OpenAI";
            bot.Settings["ChatBot:Ai:Endpoint"] = "http://user:password-in-url@127.0.0.1:9/v1?key=query-secret";
            bot.Settings["ChatBot:Ai:ApiKey"] = apiKey;
            bot.Settings["ChatBot:Ai:ChatModel"] = "test-model";
            bot.Settings["ChatBot:Ai:PromptsPath"] = Path.Combine(Fixture.Root, "prompts");
        });
        await AskAsync("telegram", "Quels avions russes ont décollé de Hamedan ?");
        var cookie = await SessionAsync(client);

        var (_, health, _) = await GetAsync(client, "/", cookie);
        Assert.Contains("Dernière erreur", health, StringComparison.Ordinal); // the unreachable model is reported…
        Assert.Contains("http://127.0.0.1:9/v1", health, StringComparison.Ordinal); // …with its endpoint, minus credentials and query
        foreach (var path in new[] { "/", "/questions", "/gaps", "/feedback", "/articles", "/articles/000_47b6786323e8e5c6", "/console.css" })
        {
            var (status, html, _) = await GetAsync(client, path, cookie);
            Assert.Equal(HttpStatusCode.OK, status);
            foreach (var secret in new[] { telegram, discord, apiKey, "password-in-url", "query-secret", Token, _bot.DatabasePath })
                Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Private_mode_shows_counts_and_rates_but_no_question_text()
    {
        var client = await StartAsync(bot => bot.Settings["ChatBot:Conversations:StoreQuestions"] = "false");
        await AskAsync("telegram", "Quels avions russes ont décollé de Hamedan ?");
        await AskAsync("discord", "Quel est le prix du pétrole au Venezuela ?");
        var cookie = await SessionAsync(client);

        var (_, questions, _) = await GetAsync(client, "/questions", cookie);
        Assert.Contains("2 questions sur 30 jours ; 50.0 % déclinées", questions, StringComparison.Ordinal);
        foreach (var path in new[] { "/questions", "/gaps", "/feedback" })
        {
            var (_, html, _) = await GetAsync(client, path, cookie);
            Assert.Contains("id=\"private\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Venezuela", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Hamedan", html, StringComparison.Ordinal);
        }
        var stored = await _bot.Services.GetRequiredService<ChatBot.Core.Conversation.Controls.IQuestionLog>().ReadAsync(DateTimeOffset.UnixEpoch, 10, Ct);
        Assert.All(stored, q => Assert.Null(q.Question)); // not kept at all, not merely hidden
    }

    [Fact]
    public async Task Declined_questions_asking_the_same_thing_are_one_content_gap_with_its_count()
    {
        var client = await StartAsync();
        await AskAsync("telegram", "Quel est le prix du pétrole au Venezuela ?");
        await AskAsync("discord", "Bonjour, quel est le prix du petrole au Venezuela svp ?");
        await AskAsync("telegram", "What is the price of oil in Venezuela?");
        await AskAsync("telegram", "Qui a gagné la Coupe du monde de football ?");
        await AskAsync("telegram", "Quels avions russes ont décollé de Hamedan ?");
        var cookie = await SessionAsync(client);

        var (_, html, _) = await GetAsync(client, "/gaps", cookie);
        var gaps = GapItem().Matches(html).Select(m => m.Value).ToList();

        Assert.True(gaps.Count == 2, string.Join("\n", gaps));
        Assert.Contains("3 fois", gaps[0], StringComparison.Ordinal);
        Assert.Contains("Venezuela", gaps[0], StringComparison.Ordinal);
        Assert.Contains("football", gaps[1], StringComparison.Ordinal);
        Assert.DoesNotContain("Hamedan", html, StringComparison.Ordinal); // answered, not a gap
    }

    [Fact]
    public async Task Markup_in_titles_questions_and_searches_is_shown_escaped_and_a_huge_search_is_cut()
    {
        var client = await StartAsync(bot => File.WriteAllText(bot.ArticlePath("xss.jsonl"),
            """{"id": "xss", "title": "<script>alert('titre')</script> Hamedan & Téhéran < Moscou", "source": "<img src=x onerror=alert(1)>", "published": "2024-03-02", "text": "La base de Hamedan accueille des bombardiers russes, selon l'agence."}""" + "\n"));
        await AskAsync("telegram", "<script>alert('question')</script> Que vend la Corée du Nord au Pérou ?");
        var cookie = await SessionAsync(client);

        foreach (var path in new[] { "/articles", "/articles/xss", "/gaps", "/articles?q=" + Uri.EscapeDataString("<script>") })
        {
            var (status, html, _) = await GetAsync(client, path, cookie);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        }
        var (_, article, _) = await GetAsync(client, "/articles/xss", cookie);
        var (_, gaps, _) = await GetAsync(client, "/gaps", cookie);
        Assert.True(article.Contains("Hamedan &amp; Téhéran &lt; Moscou", StringComparison.Ordinal), article); // the cleaner drops tags; what is left is escaped
        Assert.Contains("&lt;script&gt;alert(&#x27;question&#x27;)&lt;/script&gt;", gaps, StringComparison.Ordinal);

        var (huge, cut, _) = await GetAsync(client, "/articles?q=" + new string('a', 10_000), cookie, "en-US,en;q=0.9");
        Assert.Equal(HttpStatusCode.OK, huge);
        Assert.Contains("The search was cut to 200 characters.", cut, StringComparison.Ordinal);
        Assert.Contains("0 article(s)", cut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalogue_searches_titles_without_accents_and_says_undated()
    {
        var client = await StartAsync(bot => File.WriteAllText(bot.ArticlePath("undated.jsonl"),
            """{"id": "undated", "title": "Téhéran et Moscou signent un accord", "source": "Agence test", "text": "Téhéran et Moscou ont signé un accord de coopération."}""" + "\n"));
        var cookie = await SessionAsync(client);

        var (_, html, _) = await GetAsync(client, "/articles?q=teheran%20et%20moscou", cookie);
        var (_, english, _) = await GetAsync(client, "/articles?q=teheran%20et%20moscou", cookie, "en-GB,en;q=0.8,fr;q=0.5");

        Assert.Contains("1 article(s)", html, StringComparison.Ordinal);
        Assert.Contains("non daté", html, StringComparison.Ordinal);
        Assert.Contains("undated", english, StringComparison.Ordinal);
        Assert.Contains("lang=\"en\"", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_shows_the_updates_set_aside_with_the_last_reason()
    {
        var client = await StartAsync();
        var cookie = await SessionAsync(client);
        var clean = (await GetAsync(client, "/", cookie, "en")).Html;
        var inbox = _bot.Services.GetRequiredService<ChatBot.Core.Conversation.Inbox.DurableInbox>();
        await inbox.ParkAsync("telegram", "77", "Message", "{}", "a message without a chat");
        await inbox.ParkAsync("telegram", "78", "Unreadable", "{}", "the update cannot be read: $.message.message_id");

        var (_, html, _) = await GetAsync(client, "/", cookie, "en");

        Assert.Contains("No update set aside", clean, StringComparison.Ordinal);
        Assert.Contains("2 update(s) set aside unanswered (48 h); the last: the update cannot be read: $.message.message_id", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_shows_each_digest_target_with_its_next_period()
    {
        var client = await StartAsync(bot =>
        {
            bot.Settings["ChatBot:Digest:Targets:0"] = "telegram:-100777";
            bot.Configure = builder => builder.AddDigest();
        });
        var cookie = await SessionAsync(client);

        var (_, html, _) = await GetAsync(client, "/", cookie);

        var digest = html[html.IndexOf("id=\"digest\"", StringComparison.Ordinal)..];
        Assert.Contains("telegram:-100777", digest, StringComparison.Ordinal);
        Assert.Matches(@"<td>\d{4}-\d\d-\d\d \d\d:\d\d UTC</td></tr>", digest); // the next period
    }

    [Fact]
    public async Task On_postgres_each_replica_console_shows_every_replica_questions()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var other = new TestBot();
        other.UsePostgres(database.ConnectionString, "other");
        var client = await StartAsync(bot => bot.UsePostgres(database.ConnectionString, "console"));
        await other.SyncAsync();
        var router = other.Services.GetRequiredService<CommandRouter>();
        await router.HandleAsync(BotCommands.Ask, "Quel est le prix du pétrole au Venezuela ?", new CommandContext(new ChatOrigin("discord", "9", "8"), 2000), Ct);
        await router.HandleAsync(BotCommands.Ask, "Quels avions russes ont décollé de Hamedan ?", new CommandContext(new ChatOrigin("discord", "9", "8"), 2000), Ct);
        var cookie = await SessionAsync(client);

        var (_, questions, _) = await GetAsync(client, "/questions", cookie);
        var (_, gaps, _) = await GetAsync(client, "/gaps", cookie);

        Assert.Contains("2 questions sur 30 jours ; 50.0 % déclinées", questions, StringComparison.Ordinal);
        Assert.Contains("<td>discord</td><td>2</td><td>1</td>", questions, StringComparison.Ordinal);
        Assert.Contains("Venezuela", gaps, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_console_that_listens_refuses_to_start_with_a_short_token()
    {
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Console:Listen"] = "http://127.0.0.1:0";
        bot.Settings["ChatBot:Console:Token"] = "too-short";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => bot.Host.StartAsync(Ct));

        Assert.Contains("ChatBot:Console:Token", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32 characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", "console-admin-token-0123456789abcdefghij", "plain HTTP on '0.0.0.0'")]
    [InlineData("http://127.0.0.1:0", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "too easy to guess")]
    public async Task A_console_open_to_the_network_in_clear_or_with_a_weak_token_refuses_to_start(string listen, string token, string expected)
    {
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Console:Listen"] = listen;
        bot.Settings["ChatBot:Console:Token"] = token;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => bot.Host.StartAsync(Ct));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guessing_the_token_is_slowed_per_address_and_each_burst_is_one_log_line()
    {
        var logs = new CapturedLogs();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = await StartAsync(bot => bot.Observe(logs, time));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
            statuses.Add((await LoginAsync(client, "wrong-token-" + i)).StatusCode);
        var rightDuringTheWait = await LoginAsync(client, Token);
        time.Advance(TimeSpan.FromMinutes(6));
        var rightAfter = await LoginAsync(client, Token);

        Assert.All(statuses.Take(LoginThrottle.FreeAttempts), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]); // the token is not even checked
        Assert.Equal(HttpStatusCode.TooManyRequests, rightDuringTheWait.StatusCode);
        Assert.True(rightDuringTheWait.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.Redirect, rightAfter.StatusCode);
        Assert.Single(logs.Entries, e => e.Message.Contains("login(s) refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_huge_login_form_gets_413_not_500()
    {
        var client = await StartAsync();

        var response = await client.PostAsync("/login", new FormUrlEncodedContent([new("token", new string('x', 10_000_000))]), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Behind_a_trusted_tls_proxy_the_session_cookie_is_secure_and_hsts_is_sent()
    {
        _bot.Settings["ChatBot:Console:Token"] = Token;
        await _bot.SyncAsync();
        await using var app = ConsoleService.Build(_bot.Services, builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await app.StartAsync(Ct);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.First()) };

        async Task<HttpResponseMessage> Login(string? proto)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new FormUrlEncodedContent([new("token", Token)]) };
            if (proto is not null)
                request.Headers.Add("X-Forwarded-Proto", proto);
            return await http.SendAsync(request, Ct);
        }
        using var proxied = await Login("https");
        using var direct = await Login(null);

        Assert.Contains("secure", Assert.Single(proxied.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.True(proxied.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain("secure", Assert.Single(direct.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.False(direct.Headers.Contains("Strict-Transport-Security"));
    }

    [GeneratedRegex("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"")]
    private static partial Regex CsrfField();

    [GeneratedRegex("<li class=\"gap\">.*?</li>", RegexOptions.Singleline)]
    private static partial Regex GapItem();
}
