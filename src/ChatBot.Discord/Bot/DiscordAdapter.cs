using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ChatBot.Core.Answering;
using ChatBot.Core.Conversation.Adapters;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Discord.Client.Gateway;
using ChatBot.Discord.Client.Model;
using ChatBot.Discord.Client.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Discord.Bot;

/// <summary>
/// The Discord adapter under its supervisor: runs the gateway, registers the slash commands on READY and hands each
/// event to the core's <see cref="InboundPath{TChat}"/> (stored, then queued in its channel's order, bounded) so that no
/// event waits for another channel's answer.
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
    /// <summary>An interaction's token lets the bot answer it for 15 minutes; an older one left unanswered is dropped.</summary>
    public static readonly TimeSpan InteractionTokenLifetime = TimeSpan.FromMinutes(15);

    private readonly InboundPath<string> _inbound = new(DiscordMessageHandler.Platform, options.Value.MaxConcurrentEvents, inbox, controls.Value, time, metrics, logger);
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
                _inbound.EnqueueUntracked("commands", RegisterCommandsAsync, ex => Failed(ex, "registering commands"));
                if (Interlocked.Exchange(ref _replayed, 1) == 0)
                    await ReplayAsync();
                break;
            case "RESUMED":
                Connected();
                break;
            case "MESSAGE_CREATE":
                if (await ReadOrParkAsync(dispatch, DiscordJson.Default.DiscordMessage) is not { } message)
                    break;
                if (messages.IsAddressed(message) && await _inbound.AcceptAsync(message.Id, dispatch.Type, dispatch.Data.GetRawText(), CancellationToken.None))
                    await _inbound.QueueOrParkAsync(message.Id, dispatch.Type, dispatch.Data.GetRawText(), () => AdmitMessageAsync(message));
                break;
            case "INTERACTION_CREATE":
                if (await ReadOrParkAsync(dispatch, DiscordJson.Default.DiscordInteraction) is not { } interaction)
                    break;
                if (interaction.Type == InteractionType.MessageComponent)
                {
                    var acknowledged = interactions.AcknowledgeComponentAsync(interaction, CancellationToken.None); // first, before any database work
                    _ = acknowledged.ContinueWith(t => LogAcknowledgementFailed(Logger, t.Exception!.GetBaseException().Message), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    if (await _inbound.AcceptAsync(interaction.Id, dispatch.Type, dispatch.Data.GetRawText(), CancellationToken.None))
                        await _inbound.QueueOrParkAsync(interaction.Id, dispatch.Type, dispatch.Data.GetRawText(), () => Queued(() => EnqueueVote(interaction)));
                }
                else if (interaction.Type == InteractionType.ApplicationCommand
                    && await interactions.AdmitAsync(interaction, CancellationToken.None) // over quota: answered at once, never queued
                    && await _inbound.AcceptAsync(interaction.Id, dispatch.Type, dispatch.Data.GetRawText(), CancellationToken.None))
                {
                    await _inbound.QueueOrParkAsync(interaction.Id, dispatch.Type, dispatch.Data.GetRawText(), () => Queued(() => EnqueueCommand(interaction, interactions.AcknowledgeAsync(interaction, CancellationToken.None), admitted: true)));
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
            await _inbound.ParkAsync(id, dispatch.Type, dispatch.Data.GetRawText(), $"the {dispatch.Type} event cannot be read: " + ex.Message.Split('\n')[0]);
            return null;
        }
    }

    private static Task Queued(Action enqueue)
    {
        enqueue();
        return Task.CompletedTask;
    }

    /// <summary>The events stored by a previous run and not answered: messages and votes again, commands while their token lives.</summary>
    private Task ReplayAsync() => _inbound.ReplayAsync(item =>
    {
        switch (item.Kind)
        {
            case "MESSAGE_CREATE":
                EnqueueMessage(DiscordJson.Read(item.Payload, DiscordJson.Default.DiscordMessage));
                return Task.FromResult(true);
            case "INTERACTION_CREATE":
                var interaction = DiscordJson.Read(item.Payload, DiscordJson.Default.DiscordInteraction);
                if (interaction.Type == InteractionType.MessageComponent)
                {
                    EnqueueVote(interaction);
                    return Task.FromResult(true);
                }
                if (interaction.Type == InteractionType.ApplicationCommand && Time.GetUtcNow() - item.ReceivedAt < InteractionTokenLifetime)
                {
                    // Acknowledged by the previous run (or not, if it died first: then this is the acknowledgement).
                    EnqueueCommand(interaction, AcknowledgedBeforeAsync(interaction));
                    return Task.FromResult(true);
                }
                break;
        }
        return Task.FromResult(false); // an interaction whose token is dead: it cannot be answered
    }, CancellationToken.None);

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
        _inbound.Enqueue(message.ChannelId, message.Id, ct => messages.HandleAsync(message, ct, admitted), ex => ApologiseAsync(ex, message), message.Id);

    /// <summary>
    /// A message admitted as it arrives (<see cref="CommandRouter.Admit"/>): what is over quota never waits in the
    /// queue, and only the first refusal is sent, as a short notice.
    /// </summary>
    private async Task AdmitMessageAsync(DiscordMessage message)
    {
        var (command, question, origin) = messages.Read(message);
        var admission = router.Admit(command, question, origin, null);
        if (admission.Allowed)
            EnqueueMessage(message, admitted: true);
        else if (admission.Refusal is { } refusal)
            _inbound.Enqueue(message.ChannelId, message.Id, ct => messages.SendAsync(message, refusal, ct), ex => Failed(ex, "a quota notice"), message.Id);
        else
            await _inbound.CompleteAsync(message.Id); // already told, or not allowed here: silence
    }

    private void EnqueueVote(DiscordInteraction interaction) =>
        _inbound.EnqueueQuiet(interaction.ChannelId ?? interaction.Id, interaction.Id, ct => interactions.RecordVoteAsync(interaction, ct), ex => Failed(ex, "a button press"));

    private void EnqueueCommand(DiscordInteraction interaction, Task acknowledged, bool admitted = false) =>
        _inbound.Enqueue(interaction.ChannelId ?? interaction.Id, interaction.Id, ct => interactions.HandleAsync(interaction, acknowledged, ct, admitted), ex => ApologiseToInteractionAsync(ex, interaction, acknowledged), interaction.Id);

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
    public Task DrainAsync() => _inbound.DrainAsync();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // What is cut off stays in the inbox for the next start.
        await _inbound.StopAsync(Settings.ShutdownGrace);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: connected as {Username}")]
    private static partial void LogReady(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: handling {Event} failed")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: a button press could not be acknowledged ({Reason})")]
    private static partial void LogAcknowledgementFailed(ILogger logger, string reason);

    public override void Dispose()
    {
        _inbound.Dispose();
        base.Dispose();
    }
}
