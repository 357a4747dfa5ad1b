using ChatBot.Core.Conversation.Adapters;
using ChatBot.Core.Foundation.Concurrency;
using ChatBot.Telegram.Updates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace ChatBot.Telegram.Polling;

/// <summary>
/// The Telegram adapter under its supervisor: start-up (<see cref="TelegramStartup"/>) and the updates the previous
/// run left unanswered, then, in polling mode, long polling with <c>getUpdates</c>. The offset moves past an update
/// only once the dispatcher has stored it, so a restart never loses one; an update that cannot be read is set aside
/// (<see cref="RawUpdate"/>) and the offset moves past it all the same. A 429 is waited out; any other failure ends
/// the run and the supervisor restarts it with backoff (start-up is not repeated once done). A rejected token parks
/// the adapter.
/// </summary>
public sealed class TelegramAdapter(
    TelegramUpdateSource updates,
    TelegramStartup startup,
    TelegramUpdateDispatcher dispatcher,
    IOptions<TelegramOptions> options,
    IOptions<AdapterOptions> adapterOptions,
    TimeProvider time,
    ILogger<TelegramAdapter> logger) : SupervisedAdapter("Telegram", adapterOptions, time, logger)
{
    private User? _me;
    private int _offset;
    private DateTimeOffset? _lastUpdate;

    public override IReadOnlyList<(string Label, string Value)> Details =>
    [
        ("mode", options.Value.UsesWebhook ? "webhook" : "long polling"),
        ("bot", _me?.Username is { } name ? "@" + name : "–"),
        ("last update", _lastUpdate?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "–"),
    ];

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (_me is null)
        {
            _me = await startup.RunAsync(o, stoppingToken);
            Log.Connected(Logger, _me.Username ?? _me.FirstName, o.UsesWebhook ? "webhook" : "long polling");
            Connected();
            await dispatcher.ReplayAsync(stoppingToken);
        }
        if (o.UsesWebhook)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, Time, stoppingToken); // updates arrive through TelegramWebhookService
            return;
        }
        await PollAsync(o, stoppingToken);
    }

    protected override string? ConfigurationError(Exception failure) => failure switch
    {
        ApiRequestException { ErrorCode: 401 } =>
            "Telegram rejected the bot token (401 Unauthorized). Check ChatBot:Telegram:Token (environment: ChatBot__Telegram__Token).",
        ApiRequestException { ErrorCode: 404 } when failure.Message.Contains("Not Found", StringComparison.OrdinalIgnoreCase) =>
            "Telegram does not know this bot token (404 Not Found). Check ChatBot:Telegram:Token (environment: ChatBot__Telegram__Token) and ChatBot:Telegram:BaseUrl.",
        _ => base.ConfigurationError(failure),
    };

    /// <summary>A poll that Telegram rate-limits waits what it asks (at least 1 s) and polls again, however often; any other failure ends the run.</summary>
    private Polly.ResiliencePipeline PollRetry => _pollRetry ??= RetryPipeline.Create(Time, int.MaxValue,
        (ex, _) => ex is ApiRequestException { ErrorCode: 429 } limited ? new RetryDecision(TimeSpan.FromSeconds(Math.Max(1, limited.Parameters?.RetryAfter ?? 1)), "429", RateLimited: true) : null,
        d => Log.RateLimited(Logger, (int)d.Delay.TotalSeconds));

    private Polly.ResiliencePipeline? _pollRetry;

    private async Task PollAsync(TelegramOptions o, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = await PollRetry.ExecuteAsync(
                async ct => await updates.GetUpdatesAsync(_offset, o.PollTimeoutSeconds, TelegramStartup.AllowedUpdates, ct), stoppingToken);
            Connected();
            foreach (var update in batch)
            {
                _lastUpdate = Time.GetUtcNow();
                await dispatcher.ReceiveAsync(update, stoppingToken);
                if (update.Id is { } id)
                    _offset = Math.Max(_offset, id + 1); // confirmed to Telegram by the next call, once stored (or set aside)
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await dispatcher.StopAsync();
    }
}
