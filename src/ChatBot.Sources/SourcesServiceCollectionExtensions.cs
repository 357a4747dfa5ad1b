using System.Net;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Ingestion.Sources;
using ChatBot.Sources.Fetching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ChatBot.Sources;

public static class SourcesServiceCollectionExtensions
{
    /// <summary>
    /// Web sources: the polite fetcher, the source board, <c>/add</c> (always: an admin may add a page without any
    /// source configured). The schedule is <see cref="AddSourcePoller"/>, for <c>run</c> only.
    /// </summary>
    public static IHostApplicationBuilder AddWebSources(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddBotMetrics();
        services.AddOptions<SourcesOptions>()
            .BindConfiguration(SourcesOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Feeds.Concat(o.Pages).All(u => Pages.WebAddress.Parse(u) is not null),
                "ChatBot:Sources:Feeds and ChatBot:Sources:Pages hold absolute http(s) addresses only.")
            .ValidateOnStart();
        services.AddHttpClient(PoliteFetcher.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Redirects are followed by the fetcher (robots.txt and the limit checked at each hop); bodies are
                // decompressed by it too, so that the decompressed size is counted.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            .RemoveAllLoggers()
            .AddResilienceHandler("sources", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<SourcesOptions>>().Value;
                // Network time is real time, whatever clock the rest of the bot is given.
                pipeline.TimeProvider = TimeProvider.System;
                if (o.Retries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.Retries,
                        Delay = TimeSpan.FromMilliseconds(o.RetryDelayMs),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,
                    });
                }
                pipeline.AddTimeout(TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds / (o.Retries + 1))));
            });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PoliteFetcher>();
        services.AddSingleton<SourceSync>();
        services.RemoveAll<ISourceBoard>();
        services.AddSingleton<ISourceBoard>(sp => sp.GetRequiredService<SourceSync>());
        services.AddSingleton<ICommandHandler, AddPageCommandHandler>();
        return builder;
    }

    /// <summary>Polls the configured sources while the host runs, beside the folder watcher (when any is configured).</summary>
    public static IHostApplicationBuilder AddSourcePoller(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection(SourcesOptions.SectionName).Get<SourcesOptions>() ?? new SourcesOptions();
        if (configured.Enabled)
            builder.Services.AddHostedService<SourcePollerService>();
        return builder;
    }
}
