using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Digest;
using ChatBot.Telegram.Polling;
using ChatBot.Telegram.Sending;
using ChatBot.Telegram.Updates;
using ChatBot.Telegram.Webhook;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace ChatBot.Telegram;

public static class TelegramServiceCollectionExtensions
{
    /// <summary>The Telegram adapter, when <c>ChatBot:Telegram:Token</c> is set; nothing otherwise.</summary>
    public static IHostApplicationBuilder AddTelegram(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelegramOptions>()
            .BindConfiguration(TelegramOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => !o.UsesWebhook || !string.IsNullOrEmpty(o.WebhookUrl), "ChatBot:Telegram:WebhookUrl is required when ChatBot:Telegram:Mode is Webhook.")
            .Validate(o => !o.UsesWebhook || !string.IsNullOrEmpty(o.WebhookSecret),
                "ChatBot:Telegram:WebhookSecret is required when ChatBot:Telegram:Mode is Webhook (without it, anyone who finds the URL can post updates); set 1-256 letters, digits, '_' or '-'.")
            .ValidateOnStart();
        var configured = builder.Configuration.GetSection(TelegramOptions.SectionName).Get<TelegramOptions>() ?? new TelegramOptions();
        if (!configured.Enabled)
            return builder;

        var services = builder.Services;
        services.AddSingleton(new ChatPlatform("Telegram"));
        // The Bot API puts the token in every URL: no HTTP logging on this client, whatever the log level.
        services.AddHttpClient(nameof(TelegramBotClient)).RemoveAllLoggers();
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            // Retries are ours (TelegramSender): logged, bounded, and timed by the injected TimeProvider.
            var clientOptions = new TelegramBotClientOptions(o.Token!, string.IsNullOrWhiteSpace(o.BaseUrl) ? null : o.BaseUrl.TrimEnd('/')) { RetryCount = 0 };
            return new TelegramBotClient(clientOptions, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TelegramBotClient)));
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            return new SendThrottle(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromMilliseconds(o.PerChatIntervalMs), o.GroupMessagesPerMinute);
        });
        services.AddSingleton<TelegramSender>();
        services.AddSingleton<IDigestPublisher, TelegramDigestPublisher>();
        services.AddSingleton<TelegramBotIdentity>();
        services.AddSingleton<TelegramMessageHandler>();
        services.AddSingleton<TelegramUpdateDispatcher>();
        services.AddSingleton<TelegramStartup>();
        services.AddSingleton<TelegramUpdateSource>();
        services.AddHostedService<TelegramAdapter>();
        if (configured.UsesWebhook)
        {
            services.AddSingleton<TelegramWebhookService>();
            services.AddHostedService(sp => sp.GetRequiredService<TelegramWebhookService>());
        }
        return builder;
    }
}
