using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatBot.Core.Foundation.Logging;
using ChatBot.Telegram.Updates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Telegram.Webhook;

/// <summary>
/// Webhook mode: a small Kestrel endpoint at the path of <see cref="TelegramOptions.WebhookUrl"/>. Telegram's secret
/// header (required in this mode) is checked in constant time before the update is read; accepted updates go to the
/// same dispatcher as in polling mode, and Telegram gets its 200 once the update is stored: a 200 confirms it for
/// good, and a failure before that makes Telegram deliver it again.
/// </summary>
public sealed class TelegramWebhookService(
    TelegramUpdateDispatcher dispatcher,
    IOptions<TelegramOptions> options,
    TimeProvider time,
    ILogger<TelegramWebhookService> logger) : BackgroundService
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    private readonly OncePerMinute<string> _refusals = new(time);
    private int _refused;

    /// <summary>Requests refused since start (wrong secret, not JSON): anyone who can reach the port can send them.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>A refusal is counted always and logged at most once a minute, with how many came since: a flood of bad requests must not flood the log.</summary>
    private void Refuse(string reason)
    {
        Interlocked.Increment(ref _refused);
        if (_refusals.Count("refused", out var since))
            Log.WebhookRefused(logger, reason, since);
    }

    private WebApplication? _app;

    /// <summary>The address the endpoint listens on, once started (for tests that bind port 0).</summary>
    public string? ListeningUrl => _app?.Urls.FirstOrDefault();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(o.WebhookListenUrl);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost(new Uri(o.WebhookUrl!).AbsolutePath, (Delegate)((HttpContext http) => ReceiveAsync(http, stoppingToken)));
        await _app.StartAsync(stoppingToken);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    private async Task<IResult> ReceiveAsync(HttpContext http, CancellationToken stoppingToken)
    {
        var expected = options.Value.WebhookSecret ?? "";
        var given = http.Request.Headers[SecretHeader].ToString();
        if (expected.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            Refuse("wrong or missing secret token");
            return Results.Unauthorized();
        }
        RawUpdate update;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            update = RawUpdate.Read(document.RootElement);
        }
        catch (JsonException)
        {
            Refuse("body is not JSON");
            return Results.BadRequest();
        }
        // An update Telegram sent but the bot cannot read is set aside and confirmed (200): refused, Telegram would
        // deliver it again and again.
        await dispatcher.ReceiveAsync(update, stoppingToken);
        return Results.Ok();
    }
}
