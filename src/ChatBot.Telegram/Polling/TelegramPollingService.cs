using ChatBot.Telegram.Sending;
using ChatBot.Telegram.Updates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace ChatBot.Telegram.Polling;

/// <summary>
/// The Telegram adapter's lifetime: start-up (<see cref="TelegramStartup"/>), then, in polling mode, long polling with
/// <c>getUpdates</c> (offset = last update id + 1). Updates go to the dispatcher, so a slow answer never holds the
/// loop. Network failures back off and retry; a 401 stops this adapter, with a clear error, and nothing else.
/// </summary>
public sealed class TelegramPollingService(
    ITelegramBotClient bot,
    TelegramStartup startup,
    TelegramUpdateDispatcher dispatcher,
    IOptions<TelegramOptions> options,
    TimeProvider time,
    ILogger<TelegramPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        try
        {
            var me = await startup.RunAsync(o, stoppingToken);
            Log.Connected(logger, me.Username ?? me.FirstName, o.UsesWebhook ? "webhook" : "long polling");
            if (!o.UsesWebhook)
                await PollAsync(o, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == 401)
        {
            Log.BadToken(logger);
        }
        finally
        {
            await dispatcher.DrainAsync();
        }
    }

    private async Task PollAsync(TelegramOptions o, CancellationToken stoppingToken)
    {
        var offset = 0;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var updates = await bot.GetUpdates(offset, timeout: o.PollTimeoutSeconds, allowedUpdates: TelegramStartup.AllowedUpdates, cancellationToken: stoppingToken);
                failures = 0;
                foreach (var update in updates)
                {
                    offset = update.Id + 1;
                    dispatcher.Enqueue(update, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 401)
            {
                throw;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 429)
            {
                var seconds = Math.Max(1, ex.Parameters?.RetryAfter ?? 1);
                Log.RateLimited(logger, seconds);
                await Task.Delay(TimeSpan.FromSeconds(seconds), time, stoppingToken);
            }
#pragma warning disable CA1031 // the receiving loop outlives any failure: logged, then retried with backoff
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = TelegramSender.Backoff(++failures + 1);
                Log.PollFailed(logger, ex, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }
}
