using System.Text.Json;
using System.Text.Json.Nodes;
using ChatBot.Core.Adapters;
using ChatBot.Core.Answering;
using ChatBot.Core.Concurrency;
using ChatBot.Core.Inbox;
using ChatBot.Discord.Client.Gateway;
using ChatBot.Discord.Client.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ChatBot.Discord.Bot.DiscordMessageHandler;

namespace ChatBot.Discord.Bot;

/// <summary>
/// The Discord adapter under its supervisor: runs the gateway, registers the slash commands on READY and hands each
/// event to a queue (bounded, ordered per channel) so that no event waits for another channel's answer.
/// Interactions are acknowledged on arrival, inside Discord's 3-second window: a button press with its thanks before
/// its vote is stored, a slash command with "thinking…" once it is in the durable inbox. A message addressed to the
/// bot is stored in the inbox before it is queued and marked done once answered; the ones a previous run left
/// unanswered are handled after the first READY. Any failure restarts the adapter with backoff; a rejected token or a
/// fatal close code parks it; the rest of the bot keeps running either way.
/// </summary>
public sealed partial class DiscordAdapter(
    DiscordGatewayClient gateway,
    DiscordRestClient rest,
    DiscordIdentity identity,
    DiscordMessageHandler messages,
    DiscordInteractionHandler interactions,
    DurableInbox inbox,
    IOptions<DiscordOptions> options,
    IOptions<AdapterOptions> adapterOptions,
    TimeProvider time,
    ILogger<DiscordAdapter> logger) : SupervisedAdapter("Discord", adapterOptions, time, logger)
{
    /// <summary>An interaction's token lets the bot answer it for 15 minutes; an older one left unanswered is dropped.</summary>
    public static readonly TimeSpan InteractionTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>The platform's key in the inbox, as in the conversation and feedback tables.</summary>
    private const string InboxPlatform = DiscordMessageHandler.Platform;


    private readonly KeyedWorkQueue<string> _queue = new(options.Value.MaxConcurrentEvents);
    private int _replayed;

    public override IReadOnlyList<(string Label, string Value)> Details =>
    [
        ("shard", options.Value.ShardId is { } shard ? $"{shard} / {options.Value.ShardCount}" : "0 / 1"),
        ("heartbeat ACK", gateway.HeartbeatLatency is { } latency ? $"{latency.TotalMilliseconds:0} ms" : "–"),
    ];

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        gateway.Dispatched += OnDispatchAsync;
        try
        {
            await gateway.RunAsync(stoppingToken);
        }
        finally
        {
            gateway.Dispatched -= OnDispatchAsync;
        }
    }

    protected override string? ConfigurationError(Exception failure) => failure switch
    {
        DiscordGatewayFatalException => failure.Message,
        DiscordApiException { Status: System.Net.HttpStatusCode.Unauthorized } =>
            "Discord rejected the bot token (401 Unauthorized). Check ChatBot:Discord:Token (environment: ChatBot__Discord__Token).",
        _ => base.ConfigurationError(failure),
    };

    private async Task OnDispatchAsync(GatewayDispatch dispatch)
    {
        var data = dispatch.Data;
        switch (dispatch.Type)
        {
            case "READY":
                identity.UserId = Str(data.GetProperty("user"), "id");
                identity.ApplicationId = Str(data.GetProperty("application"), "id");
                LogReady(Logger, Str(data.GetProperty("user"), "username") ?? "?");
                Connected();
                _queue.Enqueue("commands", RegisterCommandsAsync, ex => Failed(ex, "registering commands"));
                if (Interlocked.Exchange(ref _replayed, 1) == 0)
                    await ReplayAsync();
                break;
            case "RESUMED":
                Connected();
                break;
            case "MESSAGE_CREATE" when messages.IsAddressed(data):
                if (await inbox.AcceptAsync(InboxPlatform, Str(data, "id")!, dispatch.Type, data.GetRawText(), CancellationToken.None))
                    EnqueueMessage(data);
                break;
            case "INTERACTION_CREATE" when TypeOf(data) == InteractionType.MessageComponent:
                var acknowledged = interactions.AcknowledgeComponentAsync(data, CancellationToken.None); // first, before any database work
                _ = acknowledged.ContinueWith(t => LogAcknowledgementFailed(Logger, t.Exception!.GetBaseException().Message), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                if (await inbox.AcceptAsync(InboxPlatform, Str(data, "id")!, dispatch.Type, data.GetRawText(), CancellationToken.None))
                    EnqueueVote(data);
                break;
            case "INTERACTION_CREATE" when TypeOf(data) == InteractionType.ApplicationCommand:
                if (!await inbox.AcceptAsync(InboxPlatform, Str(data, "id")!, dispatch.Type, data.GetRawText(), CancellationToken.None))
                    break;
                EnqueueCommand(data, interactions.AcknowledgeAsync(data, CancellationToken.None));
                break;
        }
    }

    /// <summary>The events stored by a previous run and not answered: messages and votes again, commands while their token lives.</summary>
    private async Task ReplayAsync()
    {
        foreach (var item in await inbox.ClaimPendingAsync(InboxPlatform, CancellationToken.None))
        {
            JsonElement data;
            try
            {
                using var document = JsonDocument.Parse(item.Payload);
                data = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                await inbox.CompleteAsync(InboxPlatform, item.Key); // unreadable: nothing can be done with it
                continue;
            }
            switch (item.Kind)
            {
                case "MESSAGE_CREATE":
                    EnqueueMessage(data);
                    break;
                case "INTERACTION_CREATE" when TypeOf(data) == InteractionType.MessageComponent:
                    EnqueueVote(data);
                    break;
                case "INTERACTION_CREATE" when TypeOf(data) == InteractionType.ApplicationCommand && Time.GetUtcNow() - item.ReceivedAt < InteractionTokenLifetime:
                    // Acknowledged by the previous run (or not, if it died first: then this is the acknowledgement).
                    EnqueueCommand(data, AcknowledgedBeforeAsync(data));
                    break;
                default:
                    await inbox.CompleteAsync(InboxPlatform, item.Key); // an interaction whose token is dead cannot be answered
                    break;
            }
        }
    }

    private async Task AcknowledgedBeforeAsync(JsonElement interaction)
    {
        try
        {
            await interactions.AcknowledgeAsync(interaction, CancellationToken.None);
        }
        catch (DiscordApiException ex) when (ex.Status == System.Net.HttpStatusCode.BadRequest)
        {
            // 40060 "Interaction has already been acknowledged": the previous run did; the answer replaces its placeholder.
        }
    }

    private void EnqueueMessage(JsonElement message)
    {
        var key = Str(message, "id")!;
        _queue.Enqueue(Str(message, "channel_id") ?? "", ct => WithScope(message, ct2 => messages.HandleAsync(message, ct2), ct), ex => ApologiseAsync(ex, message), () => inbox.CompleteAsync(InboxPlatform, key));
    }

    private void EnqueueVote(JsonElement interaction)
    {
        var key = Str(interaction, "id")!;
        _queue.Enqueue(Str(interaction, "channel_id") ?? key, ct => interactions.RecordVoteAsync(interaction, ct), ex => Failed(ex, "a button press"), () => inbox.CompleteAsync(InboxPlatform, key));
    }

    private void EnqueueCommand(JsonElement interaction, Task acknowledged)
    {
        var key = Str(interaction, "id")!;
        _queue.Enqueue(Str(interaction, "channel_id") ?? key, ct => interactions.HandleAsync(interaction, acknowledged, ct), ex => ApologiseToInteractionAsync(ex, interaction, acknowledged), () => inbox.CompleteAsync(InboxPlatform, key));
    }

    private static int TypeOf(JsonElement interaction) =>
        interaction.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Number ? type.GetInt32() : 0;

    private async Task WithScope(JsonElement message, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var scope = Logger.BeginScope(new Dictionary<string, object?> { ["Platform"] = DiscordMessageHandler.Platform, ["ChatId"] = Str(message, "channel_id"), ["MessageId"] = Str(message, "id") });
        await work(cancellationToken);
    }

    private Task RegisterCommandsAsync(CancellationToken cancellationToken) =>
        rest.BulkOverwriteCommandsAsync(identity.ApplicationId!, string.IsNullOrEmpty(options.Value.DevGuildId) ? null : options.Value.DevGuildId, DiscordCommandDefinitions.Build(), cancellationToken);

    private async Task ApologiseAsync(Exception error, JsonElement message)
    {
        LogEventFailed(Logger, error, "MESSAGE_CREATE");
        var apology = new JsonObject { ["content"] = BotMessages.Get("error.apology", Core.Text.Language.French) };
        await messages.SendAsync(Str(message, "channel_id")!, Str(message, "id"), [apology], CancellationToken.None);
    }

    private async Task ApologiseToInteractionAsync(Exception error, JsonElement interaction, Task acknowledged)
    {
        LogEventFailed(Logger, error, "INTERACTION_CREATE");
        if (acknowledged.IsCompletedSuccessfully)
            await interactions.DeliverAsync(interaction, [new JsonObject { ["content"] = BotMessages.Get("error.apology", Core.Text.Language.French) }], CancellationToken.None);
    }

    private Task Failed(Exception error, string what)
    {
        LogEventFailed(Logger, error, what);
        return Task.CompletedTask;
    }

    /// <summary>Waits for the events already handed over (tests).</summary>
    public Task DrainAsync() => _queue.DrainAsync();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // What is cut off stays in the inbox for the next start. The grace is wall-clock time (a process manager's kill
        // deadline is), never the bot's clock, which may stand still (a fake one in tests).
        await _queue.StopAsync(Settings.ShutdownGrace, TimeProvider.System);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: connected as {Username}")]
    private static partial void LogReady(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: handling {Event} failed")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: a button press could not be acknowledged ({Reason})")]
    private static partial void LogAcknowledgementFailed(ILogger logger, string reason);

    public override void Dispose()
    {
        _queue.Dispose();
        base.Dispose();
    }
}
