using System.Text.Json;
using System.Text.Json.Nodes;
using ChatBot.Core.Answering;
using ChatBot.Core.Concurrency;
using ChatBot.Discord.Client.Gateway;
using ChatBot.Discord.Client.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ChatBot.Discord.Bot.DiscordMessageHandler;

namespace ChatBot.Discord.Bot;

/// <summary>
/// The Discord adapter's lifetime: runs the gateway, registers the slash commands on READY, and hands each event to
/// a queue (bounded, ordered per channel) so that no event waits for another channel's answer. Interactions are
/// acknowledged before they are queued, inside Discord's 3-second window. A fatal gateway close or a rejected token
/// stops this adapter with a clear error; the rest of the bot keeps running.
/// </summary>
public sealed partial class DiscordBotService(
    DiscordGatewayClient gateway,
    DiscordRestClient rest,
    DiscordIdentity identity,
    DiscordMessageHandler messages,
    DiscordInteractionHandler interactions,
    IOptions<DiscordOptions> options,
    ILogger<DiscordBotService> logger) : BackgroundService
{
    private readonly KeyedWorkQueue<string> _queue = new(options.Value.MaxConcurrentEvents);
    private CancellationToken _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        gateway.Dispatched += OnDispatchAsync;
        try
        {
            await gateway.RunAsync(stoppingToken);
        }
        catch (DiscordGatewayFatalException ex)
        {
            LogFatal(logger, ex.Message);
        }
        catch (DiscordApiException ex) when (ex.Status == System.Net.HttpStatusCode.Unauthorized)
        {
            LogFatal(logger, "Discord rejected the bot token (401 Unauthorized). Check ChatBot:Discord:Token (environment: ChatBot__Discord__Token).");
        }
        finally
        {
            gateway.Dispatched -= OnDispatchAsync;
            await _queue.DrainAsync();
        }
    }

    private Task OnDispatchAsync(GatewayDispatch dispatch)
    {
        var data = dispatch.Data;
        switch (dispatch.Type)
        {
            case "READY":
                identity.UserId = Str(data.GetProperty("user"), "id");
                identity.ApplicationId = Str(data.GetProperty("application"), "id");
                LogReady(logger, Str(data.GetProperty("user"), "username") ?? "?");
                _queue.Enqueue("commands", RegisterCommandsAsync, ex => Failed(ex, "registering commands"), _stopping);
                break;
            case "MESSAGE_CREATE":
                var channel = Str(data, "channel_id") ?? "";
                _queue.Enqueue(channel, ct => WithScope(data, ct2 => messages.HandleAsync(data, ct2), ct), ex => ApologiseAsync(ex, data), _stopping);
                break;
            case "INTERACTION_CREATE" when DiscordInteractionHandler.IsComponent(data):
                _queue.Enqueue(Str(data, "channel_id") ?? Str(data, "id")!, ct => interactions.HandleComponentAsync(data, ct), ex => Failed(ex, "a button press"), _stopping);
                break;
            case "INTERACTION_CREATE":
                var acknowledged = interactions.AcknowledgeAsync(data, _stopping);
                _queue.Enqueue(Str(data, "channel_id") ?? Str(data, "id")!, ct => interactions.HandleAsync(data, acknowledged, ct), ex => ApologiseToInteractionAsync(ex, data, acknowledged), _stopping);
                break;
        }
        return Task.CompletedTask;
    }

    private async Task WithScope(JsonElement message, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["Platform"] = Platform, ["ChatId"] = Str(message, "channel_id"), ["MessageId"] = Str(message, "id") });
        await work(cancellationToken);
    }

    private Task RegisterCommandsAsync(CancellationToken cancellationToken) =>
        rest.BulkOverwriteCommandsAsync(identity.ApplicationId!, string.IsNullOrEmpty(options.Value.DevGuildId) ? null : options.Value.DevGuildId, DiscordCommandDefinitions.Build(), cancellationToken);

    private async Task ApologiseAsync(Exception error, JsonElement message)
    {
        LogEventFailed(logger, error, "MESSAGE_CREATE");
        var apology = new JsonObject { ["content"] = BotMessages.Get("error.apology", Core.Text.Language.French) };
        await messages.SendAsync(Str(message, "channel_id")!, Str(message, "id"), [apology], _stopping);
    }

    private async Task ApologiseToInteractionAsync(Exception error, JsonElement interaction, Task acknowledged)
    {
        LogEventFailed(logger, error, "INTERACTION_CREATE");
        if (acknowledged.IsCompletedSuccessfully)
            await interactions.DeliverAsync(interaction, [new JsonObject { ["content"] = BotMessages.Get("error.apology", Core.Text.Language.French) }], _stopping);
    }

    private Task Failed(Exception error, string what)
    {
        LogEventFailed(logger, error, what);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: connected as {Username}")]
    private static partial void LogReady(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Reason} The Discord adapter is stopped; the rest of the bot keeps running")]
    private static partial void LogFatal(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: handling {Event} failed")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, string @event);

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
    }
}
