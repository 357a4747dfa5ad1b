using System.Text.Json;
using ChatBot.Core.Conversation.Adapters;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Indexing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ChatBot.Observability;

/// <summary>
/// Serves, on <see cref="ObservabilityOptions.Listen"/> from inside the bot process: <c>/healthz</c> (the process
/// answers), <c>/readyz</c> (the index is open, the database takes writes, every configured chat adapter is connected;
/// 503 with the reason otherwise) and <c>/metrics</c> (the <see cref="BotMetrics"/> instruments and the runtime's, in
/// the Prometheus text format). Health answers are JSON: the overall status and each check's.
/// </summary>
public sealed partial class ObservabilityService(IServiceProvider services, IOptions<ObservabilityOptions> options, ILogger<ObservabilityService> logger) : IHostedService, IAsyncDisposable
{
    private const string Ready = "ready";
    private WebApplication? _app;

    /// <summary>The address it listens on once started (for tests that bind port 0).</summary>
    public string? ListeningUrl => _app?.Urls.FirstOrDefault();

    /// <summary>
    /// Starts serving before the host goes on to its other services (not a background service: those start on the
    /// thread pool, later), so that the first ingestion is counted and a supervisor sees the process while it loads.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _app = Build(services, options.Value, builder => builder.WebHost.UseUrls(options.Value.Listen!));
        await _app.StartAsync(cancellationToken);
        LogListening(logger, ListeningUrl ?? options.Value.Listen!);
    }

    /// <summary>Stops taking requests and lets those in flight finish.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
            await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    /// <summary>The endpoints over <paramref name="bot"/>'s services; <paramref name="configure"/> picks the server.</summary>
    public static WebApplication Build(IServiceProvider bot, ObservabilityOptions settings, Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configure(builder);
        var adapters = bot.GetServices<IHostedService>().OfType<SupervisedAdapter>().ToList();
        bot.GetRequiredService<BotMetrics>().ObserveAdapters(() => adapters.Select(a => (a.Platform.ToLowerInvariant(), a.Restarts)).ToList());
        builder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration("index", _ => new IndexHealthCheck(bot.GetRequiredService<IndexOpener>(), bot.GetRequiredService<IIndexStore>()), HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(5)))
            .Add(new HealthCheckRegistration("database", _ => new DatabaseHealthCheck(bot.GetRequiredService<IIndexStore>()), HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(5)))
            .Add(new HealthCheckRegistration("adapters", _ => new AdaptersHealthCheck(adapters), HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(5)));
        // The scrape reads the process's "ChatBot" meter (and the runtime's), whichever service provider created it.
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName))
            .WithMetrics(m => m.AddMeter(BotMetrics.MeterName, "System.Runtime").AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape reads the present
        var app = builder.Build();
        // Listening from now on, before the bot's other services start: the first ingestion is counted too.
        app.Services.GetRequiredService<MeterProvider>();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health and metrics served on {Url} (/healthz, /readyz, /metrics)")]
    private static partial void LogListening(ILogger logger, string url);
}
