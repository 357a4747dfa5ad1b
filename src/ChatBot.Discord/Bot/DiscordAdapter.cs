using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ChatBot.Core.Answering;
using ChatBot.Core.Conversation.Adapters;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Foundation.Concurrency;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Foundation.Logging;
using ChatBot.Discord.Client.Gateway;
using ChatBot.Discord.Client.Model;
using ChatBot.Discord.Client.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    MessageSender sender,
    DiscordInteractionHandler interactions,
    DurableInbox inbox,
    CommandRouter router,
    IOptions<DiscordOptions> options,
    IOptions<AdapterOptions> adapterOptions,
    IOptions<ControlsOptions> controls,
    TimeProvider time,
    BotMetrics metrics,
    ILogger<DiscordAdapter> logger) : SupervisedAdapter("Discord", adapterOptions, time, logger)
{
    /// <summary>Dropped questions, logged at most once a minute per channel.</summary>
    private readonly OncePerMinute<string> _dropped = new(time);
    /// <summary>An interaction's token lets the bot answer it for 15 minutes; an older one left unanswered is dropped.</summary>
    public static readonly TimeSpan InteractionTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>The platform's key in the inbox, as in the conversation and feedback tables.</summary>
    private const string InboxPlatform = DiscordMessageHandler.Platform;


    private readonly KeyedWorkQueue<string> _queue = metrics.Observed(InboxPlatform, new KeyedWorkQueue<string>(options.Value.MaxConcurrentEvents, controls.Value.MaxQueuedPerChat));
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

    /// <summary>A malformed event throws <see cref="JsonException"/> from <see cref="DiscordJson.Read{T}(JsonElement, JsonTypeInfo{T})"/>: the gateway logs it and goes on.</summary>
    private async Task OnDispatchAsync(GatewayDispatch dispatch)
    {
        switch (dispatch.Type)
        {
            case "READY":
                var ready = DiscordJson.Read(dispatch.Data, DiscordJson.Default.ReadyEvent);
                identity.UserId = ready.User.Id;
                identity.ApplicationId = ready.Application.Id;
                LogReady(Logger, ready.User.Username ?? "?");
                Connected();
                _queue.Enqueue("commands", RegisterCommandsAsync, ex => Failed(ex, "registering commands"));
                if (Interlocked.Exchange(ref _replayed, 1) == 0)
                    await ReplayAsync();
                break;
            case "RESUMED":
                Connected();
                break;
            case "MESSAGE_CREATE":
                if (await ReadOrParkAsync(dispatch, DiscordJson.Default.DiscordMessage) is not { } message)
                    break;
                if (messages.IsAddressed(message) && await inbox.AcceptAsync(InboxPlatform, message.Id, dispatch.Type, dispatch.Data.GetRawText(), CancellationToken.None))
                    await EnqueueOrParkAsync(message.Id, dispatch.Type, dispatch.Data.GetRawText(), () => AdmitMessage(message));
                break;
            case "INTERACTION_CREATE":
                if (await ReadOrParkAsync(dispatch, DiscordJson.Default.DiscordInteraction) is not { } interaction)
                    break;
                if (interaction.Type == InteractionType.MessageComponent)
                {
                    var acknowledged = interactions.AcknowledgeComponentAsync(interaction, CancellationToken.None); // first, before any database work
                    _ = acknowledged.ContinueWith(t => LogAcknowledgementFailed(Logger, t.Exception!.GetBaseException().Message), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    if (await inbox.AcceptAsync(InboxPlatform, interaction.Id, dispatch.Type, dispatch.Data.GetRawText(), CancellationToken.None))
                        await EnqueueOrParkAsync(interaction.Id, dispatch.Type, dispatch.Data.GetRawText(), () => EnqueueVote(interaction));
                }
                else if (interaction.Type == InteractionType.ApplicationCommand
                    && await interactions.AdmitAsync(interaction, CancellationToken.None) // over quota: answered at once, never queued
                    && await inbox.AcceptAsync(InboxPlatform, interaction.Id, dispatch.Type, dispatch.Data.GetRawText(), CancellationToken.None))
                {
                    await EnqueueOrParkAsync(interaction.Id, dispatch.Type, dispatch.Data.GetRawText(), () => EnqueueCommand(interaction, interactions.AcknowledgeAsync(interaction, CancellationToken.None), admitted: true));
                }
                break;
        }
    }

    /// <summary>
    /// An event the bot handles, read; one that cannot be read (a field of the wrong type) is parked in the inbox with
    /// its reason (keyed by its <c>id</c> when it has one) and skipped: the gateway goes on with the next.
    /// </summary>
    private async Task<T?> ReadOrParkAsync<T>(GatewayDispatch dispatch, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return DiscordJson.Read(dispatch.Data, type);
        }
        catch (JsonException ex)
        {
            var id = dispatch.Data.ValueKind == JsonValueKind.Object && dispatch.Data.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "unknown";
            await inbox.ParkAsync(InboxPlatform, id, dispatch.Type, dispatch.Data.GetRawText(), $"the {dispatch.Type} event cannot be read: " + ex.Message.Split('\n')[0]);
            return null;
        }
    }

    /// <summary>Queues a stored event; one that cannot even be queued is parked, never retried, and nothing behind it waits.</summary>
    private async Task EnqueueOrParkAsync(string key, string kind, string payload, Action enqueue)
    {
        try
        {
            enqueue();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await inbox.ParkAsync(InboxPlatform, key, kind, payload, $"{ex.GetType().Name} while queueing it");
        }
    }

    /// <summary>The events stored by a previous run and not answered: messages and votes again, commands while their token lives.</summary>
    private async Task ReplayAsync()
    {
        foreach (var item in await inbox.ClaimPendingAsync(InboxPlatform, CancellationToken.None))
        {
            try
            {
                switch (item.Kind)
                {
                    case "MESSAGE_CREATE":
                        EnqueueMessage(DiscordJson.Read(item.Payload, DiscordJson.Default.DiscordMessage));
                        continue;
                    case "INTERACTION_CREATE":
                        var interaction = DiscordJson.Read(item.Payload, DiscordJson.Default.DiscordInteraction);
                        if (interaction.Type == InteractionType.MessageComponent)
                        {
                            EnqueueVote(interaction);
                            continue;
                        }
                        if (interaction.Type == InteractionType.ApplicationCommand && Time.GetUtcNow() - item.ReceivedAt < InteractionTokenLifetime)
                        {
                            // Acknowledged by the previous run (or not, if it died first: then this is the acknowledgement).
                            EnqueueCommand(interaction, AcknowledgedBeforeAsync(interaction));
                            continue;
                        }
                        break;
                }
            }
            catch (JsonException ex)
            {
                await inbox.ParkAsync(InboxPlatform, item.Key, item.Kind, item.Payload, "the stored event cannot be read: " + ex.Message.Split('\n')[0]);
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever this one stored event does, the ones behind it are replayed.
                await inbox.ParkAsync(InboxPlatform, item.Key, item.Kind, item.Payload, $"{ex.GetType().Name} while replaying it");
                continue;
            }
            await inbox.CompleteAsync(InboxPlatform, item.Key); // an interaction whose token is dead: it cannot be answered
        }
    }

    private async Task AcknowledgedBeforeAsync(DiscordInteraction interaction)
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

    private void EnqueueMessage(DiscordMessage message, bool admitted = false) =>
        _queue.Enqueue(message.ChannelId, ct => WithScope(message, ct2 => messages.HandleAsync(message, ct2, admitted), ct), ex => ApologiseAsync(ex, message),
            () => inbox.CompleteAsync(InboxPlatform, message.Id), () => DroppedAsync(message.ChannelId, message.Id));

    /// <summary>
    /// A message admitted as it arrives (<see cref="CommandRouter.Admit"/>): what is over quota never waits in the
    /// queue, and only the first refusal is sent, as a short notice.
    /// </summary>
    private void AdmitMessage(DiscordMessage message)
    {
        var (command, question, origin) = messages.Read(message);
        var admission = router.Admit(command, question, origin, null);
        if (admission.Allowed)
        {
            EnqueueMessage(message, admitted: true);
            return;
        }
        if (admission.Refusal is { } refusal)
            _queue.Enqueue(message.ChannelId, ct => messages.SendAsync(message, refusal, ct), ex => Failed(ex, "a quota notice"),
                () => inbox.CompleteAsync(InboxPlatform, message.Id), () => DroppedAsync(message.ChannelId, message.Id));
        else
            _ = inbox.CompleteAsync(InboxPlatform, message.Id); // already told, or not allowed here: silence
    }

    /// <summary>A question dropped from a full channel queue: done (never answered), logged at most once a minute per channel.</summary>
    private async Task DroppedAsync(string channel, string key)
    {
        await inbox.CompleteAsync(InboxPlatform, key);
        if (_dropped.Count(channel, out var since))
            LogQueueFull(Logger, channel, since, controls.Value.MaxQueuedPerChat);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: channel {ChannelId} has more than {Max} questions waiting; dropped the oldest ({Count} since the last such line)")]
    private static partial void LogQueueFull(ILogger logger, string channelId, int count, int max);

    private void EnqueueVote(DiscordInteraction interaction) =>
        _queue.Enqueue(interaction.ChannelId ?? interaction.Id, ct => interactions.RecordVoteAsync(interaction, ct), ex => Failed(ex, "a button press"),
            () => inbox.CompleteAsync(InboxPlatform, interaction.Id), () => inbox.CompleteAsync(InboxPlatform, interaction.Id));

    private void EnqueueCommand(DiscordInteraction interaction, Task acknowledged, bool admitted = false) =>
        _queue.Enqueue(interaction.ChannelId ?? interaction.Id, ct => interactions.HandleAsync(interaction, acknowledged, ct, admitted), ex => ApologiseToInteractionAsync(ex, interaction, acknowledged),
            () => inbox.CompleteAsync(InboxPlatform, interaction.Id), () => DroppedAsync(interaction.ChannelId ?? interaction.Id, interaction.Id));

    private async Task WithScope(DiscordMessage message, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var scope = Logger.BeginScope(new LogScope(("Platform", DiscordMessageHandler.Platform), ("ChatId", message.ChannelId), ("MessageId", message.Id)));
        await work(cancellationToken);
    }

    private Task RegisterCommandsAsync(CancellationToken cancellationToken) =>
        rest.BulkOverwriteCommandsAsync(identity.ApplicationId!, string.IsNullOrEmpty(options.Value.DevGuildId) ? null : options.Value.DevGuildId, DiscordCommandDefinitions.Build(), cancellationToken);

    private async Task ApologiseAsync(Exception error, DiscordMessage message)
    {
        LogEventFailed(Logger, error, "MESSAGE_CREATE");
        await sender.SendAsync(message.ChannelId, message.Id, [Apology], CancellationToken.None);
    }

    private async Task ApologiseToInteractionAsync(Exception error, DiscordInteraction interaction, Task acknowledged)
    {
        LogEventFailed(Logger, error, "INTERACTION_CREATE");
        if (acknowledged.IsCompletedSuccessfully)
            await interactions.DeliverAsync(interaction, [Apology], CancellationToken.None);
    }

    private static MessagePayload Apology => new() { Content = BotMessages.Get("error.apology", Core.Foundation.Text.Language.French) };

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
