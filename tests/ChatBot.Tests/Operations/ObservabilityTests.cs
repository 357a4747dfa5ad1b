using System.Globalization;
using System.Net;
using System.Text.Json;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Adapters;
using ChatBot.Observability;
using ChatBot.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Tests.Operations;

/// <summary>
/// <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> over a real bot's services. The metrics are the process's
/// (every bot of the test run records into a meter of the same name), so each test counts under a platform name of
/// its own, and these tests run on their own, after the others: a bot of another test disposing its meter while one
/// of these scrapes ends the shared metric stream the scrape reads (seen once in a loaded run, as a missing gauge).
/// </summary>
[Collection(nameof(ProcessWideMetrics))]
public sealed class ObservabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(WebApplication App, HttpClient Client)> ServeAsync(TestBot bot)
    {
        var app = ObservabilityService.Build(bot.Services, new ObservabilityOptions(), builder => builder.WebHost.UseTestServer());
        await app.StartAsync(Ct);
        return (app, app.GetTestClient());
    }

    [Fact]
    public async Task The_metrics_endpoint_counts_questions_by_platform_and_outcome_with_latency_and_stage_timings()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var (app, client) = await ServeAsync(bot);
        await using var _ = app;
        var platform = "metrics" + Guid.NewGuid().ToString("N")[..8];
        var origin = new ChatOrigin(platform, "1", "2");

        await bot.Answerer.AnswerAsync(new ChatRequest("Avec quel président iranien Poutine a-t-il tenu une conférence de presse ?") { Origin = origin }, Ct);
        await bot.Answerer.AnswerAsync(new ChatRequest("Quels avions russes ont décollé de Hamedan ?") { Origin = origin }, Ct);
        await bot.Answerer.AnswerAsync(new ChatRequest("Quel est le prix du pétrole au Venezuela ?") { Origin = origin }, Ct);
        var response = await client.GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var metrics = Parse(text);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(2, metrics[$"chatbot_questions_total{{outcome=\"answered\",platform=\"{platform}\"}}"]);
        Assert.Equal(1, metrics[$"chatbot_questions_total{{outcome=\"declined\",platform=\"{platform}\"}}"]);
        Assert.Equal(1, metrics[$"chatbot_declines_total{{kind=\"none\",platform=\"{platform}\"}}"]);
        Assert.Equal(2, metrics[$"chatbot_answer_duration_seconds_count{{outcome=\"answered\",platform=\"{platform}\"}}"]);
        Assert.True(metrics[$"chatbot_answer_duration_seconds_sum{{outcome=\"answered\",platform=\"{platform}\"}}"] > 0);
        foreach (var stage in new[] { "understand", "candidates", "evidence" })
            Assert.True(metrics.GetValueOrDefault($"chatbot_retrieval_stage_duration_seconds_count{{stage=\"{stage}\"}}") >= 3, stage + "\n" + text);
        Assert.Contains("# TYPE chatbot_answer_duration_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_inbox_backlog_parked_updates_and_queue_depth_are_gauged_per_platform()
    {
        await using var bot = new TestBot();
        var (app, client) = await ServeAsync(bot);
        await using var _ = app;
        var platform = "gauges" + Guid.NewGuid().ToString("N")[..8];
        var inbox = bot.Services.GetRequiredService<ChatBot.Core.Conversation.Inbox.DurableInbox>();
        var metrics = bot.Services.GetRequiredService<ChatBot.Core.Foundation.Diagnostics.BotMetrics>();
        using var queue = metrics.Observed(platform, new ChatBot.Core.Foundation.Concurrency.KeyedWorkQueue<int>(1));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await inbox.AcceptAsync(platform, "1", "message", "{}", Ct);
        await inbox.AcceptAsync(platform, "2", "message", "{}", Ct);
        await inbox.AcceptAsync(platform, "3", "message", "{}", Ct);
        await inbox.CompleteAsync(platform, "1");
        await inbox.ParkAsync(platform, "2", "message", "{}", "cannot be read");
        queue.Enqueue(7, async _ => { running.TrySetResult(); await release.Task; }, _ => Task.CompletedTask);
        queue.Enqueue(7, _ => Task.CompletedTask, _ => Task.CompletedTask);
        await running.Task;
        // The scrape reads every bot's meter of the test run at once; a collection may miss one observation of this
        // bot's, so the gauges are read until they show (never longer than Eventually's limit).
        var key = $"chatbot_queue_depth{{platform=\"{platform}\"}}";
        var during = new Dictionary<string, double>();
        await Eventually.WaitAsync(async () => (during = Parse(await client.GetStringAsync("/metrics", Ct))).ContainsKey(key), () => "the queue depth while an item runs");
        release.TrySetResult();
        await queue.DrainAsync();
        var after = new Dictionary<string, double>();
        await Eventually.WaitAsync(async () => (after = Parse(await client.GetStringAsync("/metrics", Ct))).GetValueOrDefault(key, -1) == 0, () => "the queue depth once drained");

        Assert.Equal(1, during[$"chatbot_inbox_pending{{platform=\"{platform}\"}}"]); // 3 accepted, 1 answered, 1 parked
        Assert.Equal(1, during[$"chatbot_inbox_parked_total{{platform=\"{platform}\"}}"]);
        Assert.Equal(2, during[key]); // one running, one waiting
        Assert.Equal(0, after[key]);
    }

    [Fact]
    public async Task Web_source_requests_are_counted_by_outcome()
    {
        await using var site = await ChatBot.FixtureSite.NewsSite.StartAsync([Sources.SiteArticles.Drones]);
        await using var bot = new TestBot();
        var (app, client) = await ServeAsync(bot);
        await using var _ = app;
        var (host, fetcher) = Sources.FetcherTests.Create();
        using var __ = host;
        var before = Parse(await client.GetStringAsync("/metrics", Ct));

        var first = await fetcher.FetchAsync(site.Url("/articles/" + Sources.SiteArticles.Drones.Slug), ChatBot.Sources.Fetching.FetchKind.Page, null, Ct);
        await fetcher.FetchAsync(site.Url("/articles/" + Sources.SiteArticles.Drones.Slug), ChatBot.Sources.Fetching.FetchKind.Page, first.Validators, Ct);
        var after = Parse(await client.GetStringAsync("/metrics", Ct));

        // The counter is the process's (other tests fetch too): this test's two requests are in it.
        static double Of(Dictionary<string, double> m, string outcome) => m.GetValueOrDefault($"chatbot_source_fetches_total{{outcome=\"{outcome}\"}}");
        Assert.True(Of(after, "ok") - Of(before, "ok") >= 1);
        Assert.True(Of(after, "not_modified") - Of(before, "not_modified") >= 1);
    }

    [Fact]
    public async Task Liveness_answers_at_once_and_readiness_reports_the_index_the_database_and_the_adapters()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var (app, client) = await ServeAsync(bot);
        await using var _ = app;

        var live = await client.GetAsync("/healthz", Ct);
        var ready = await client.GetAsync("/readyz", Ct);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        Assert.Equal(5, checks.GetProperty("index").GetProperty("data").GetProperty("articles").GetInt32());
        Assert.Contains("is writable", checks.GetProperty("database").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("no chat adapter configured", checks.GetProperty("adapters").GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_parked_adapter_makes_the_bot_not_ready_and_its_restarts_are_counted()
    {
        await using var bot = new TestBot();
        var platform = "Parked" + Guid.NewGuid().ToString("N")[..6];
        bot.Settings["ChatBot:Adapters:InitialRestartDelaySeconds"] = "0.01";
        bot.Configure = builder => builder.Services.AddSingleton<IHostedService>(sp => new BrokenAdapter(platform, sp));
        await bot.Host.StartAsync(Ct);
        var adapter = bot.Services.GetServices<IHostedService>().OfType<BrokenAdapter>().Single();
        await Eventually.WaitAsync(() => adapter.State == AdapterState.Parked, "the adapter is parked");
        var (app, client) = await ServeAsync(bot);
        await using var _ = app;

        var ready = await client.GetAsync("/readyz", Ct);
        var body = await ready.Content.ReadAsStringAsync(Ct);
        var metrics = Parse(await client.GetStringAsync("/metrics", Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains($"{platform} is parked", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Ct)).StatusCode); // alive all the same
        Assert.Equal(1, metrics[$"chatbot_adapter_restarts_total{{platform=\"{platform.ToLowerInvariant()}\"}}"]);
        await bot.Host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_database_that_no_longer_takes_writes_makes_the_bot_not_ready()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var bot = new TestBot().UsePostgres(database.ConnectionString, "ready-probe");
        await bot.SyncAsync();
        var (app, client) = await ServeAsync(bot);
        await using var _ = app;
        var before = await client.GetAsync("/readyz", Ct);

        // As on a read-only replica: every session's transactions are read-only (the bot's pooled sessions are ended,
        // so that its next ones start read-only; the first probe after that may see the ended session instead).
        await database.ExecuteAsync($"ALTER DATABASE {database.Name} SET default_transaction_read_only = on");
        await database.ScalarAsync<long>($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{database.Name}' AND pid <> pg_backend_pid()");
        var (status, body) = (HttpStatusCode.OK, "");
        await Eventually.WaitAsync(async () =>
        {
            var after = await client.GetAsync("/readyz", Ct);
            (status, body) = (after.StatusCode, await after.Content.ReadAsStringAsync(Ct));
            return body.Contains("read-only transaction", StringComparison.Ordinal);
        }, () => "/readyz names the read-only database: " + body);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("does not take writes", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_each_answer_is_traced_stage_by_stage()
    {
        // A collector on 127.0.0.1 speaking OTLP over HTTP: it keeps what it is sent (protobuf: span names are plain bytes).
        var received = new System.Collections.Concurrent.ConcurrentQueue<byte[]>();
        var collector = WebApplication.CreateSlimBuilder();
        collector.WebHost.UseUrls("http://127.0.0.1:0");
        collector.Logging.ClearProviders();
        await using var server = collector.Build();
        server.MapPost("/v1/traces", async (Microsoft.AspNetCore.Http.HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, Ct);
            received.Enqueue(body.ToArray());
            return Microsoft.AspNetCore.Http.Results.Bytes([], "application/x-protobuf");
        });
        server.MapPost("/v1/metrics", () => Microsoft.AspNetCore.Http.Results.Bytes([], "application/x-protobuf"));
        await server.StartAsync(Ct);
        var bot = new TestBot();
        bot.Settings["ChatBot:Observability:OtlpEndpoint"] = server.Urls.First();
        bot.Settings["ChatBot:Observability:OtlpProtocol"] = "http/protobuf";
        await bot.Host.StartAsync(Ct);
        await bot.SyncAsync();

        await bot.AskAsync("Quels avions russes ont décollé de Hamedan ?");
        await bot.Host.StopAsync(Ct);
        await bot.DisposeAsync(); // the tracer provider goes with the host, sending what it holds

        var spans = System.Text.Encoding.UTF8.GetString(received.SelectMany(b => b).ToArray());
        foreach (var name in new[] { "answer", "retrieve", "candidates", "rerank", "chatbot.outcome", "answered", "service.name", "chatbot" })
            Assert.Contains(name, spans, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listen_address_that_is_not_http_is_refused_naming_the_setting()
    {
        var options = new ObservabilityOptions { Listen = "127.0.0.1:9464" };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("ChatBot__Observability__Listen", StringComparison.Ordinal));
    }

    /// <summary>Prometheus text lines, <c>name{labels} value</c>, by series.</summary>
    internal static Dictionary<string, double> Parse(string text)
    {
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var space = line.LastIndexOf(' ');
            var name = line[..space];
            // The exporter adds otel_scope_name (and more scope labels) first: drop them, keep the instrument's own.
            name = System.Text.RegularExpressions.Regex.Replace(name, "otel_scope_[a-z_]+=\"[^\"]*\",?", "").Replace("{}", "", StringComparison.Ordinal).Replace(",}", "}", StringComparison.Ordinal);
            // Series of several meters of the same name (one per bot of the test run) add up.
            series[name] = series.GetValueOrDefault(name) + double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return series;
    }

    /// <summary>An adapter whose configuration is wrong: parked on its first run.</summary>
    private sealed class BrokenAdapter(string platform, IServiceProvider services)
        : SupervisedAdapter(platform, services.GetRequiredService<IOptions<AdapterOptions>>(), TimeProvider.System, services.GetRequiredService<ILogger<BrokenAdapter>>())
    {
        private int _runs;

        protected override Task RunOnceAsync(CancellationToken stoppingToken) =>
            Interlocked.Increment(ref _runs) == 1
                ? throw new InvalidOperationException("the platform hung up") // restarted once
                : throw new AdapterConfigurationException($"{Platform} token rejected: set ChatBot:{Platform}:Token");
    }
}

/// <summary>The tests that read the process-wide meter listener: run alone, never beside other tests' bots.</summary>
[CollectionDefinition(nameof(ProcessWideMetrics), DisableParallelization = true)]
public sealed class ProcessWideMetrics;
