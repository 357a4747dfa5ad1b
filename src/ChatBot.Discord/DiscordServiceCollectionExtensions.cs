using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Digest;
using ChatBot.Discord.Bot;
using ChatBot.Discord.Client.Gateway;
using ChatBot.Discord.Client.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    public const GatewayIntents Intents = GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.DirectMessages | GatewayIntents.MessageContent;

    /// <summary>The Discord adapter, when <c>ChatBot:Discord:Token</c> is set; nothing otherwise.</summary>
    public static IHostApplicationBuilder AddDiscord(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DiscordOptions>()
            .BindConfiguration(DiscordOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.ShardId is null == o.ShardCount is null && (o.ShardId ?? 0) < (o.ShardCount ?? 1), "ChatBot:Discord:ShardId and ShardCount go together, with ShardId < ShardCount.")
            .ValidateOnStart();
        var configured = builder.Configuration.GetSection(DiscordOptions.SectionName).Get<DiscordOptions>() ?? new DiscordOptions();
        if (!configured.Enabled)
            return builder;

        var services = builder.Services;
        services.AddSingleton(new ChatPlatform("Discord"));
        services.AddHttpClient(nameof(DiscordRestClient));
        services.AddSingleton(sp => new DiscordRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
            return new DiscordRestClient(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(DiscordRestClient)),
                sp.GetRequiredService<DiscordRateLimiter>(), o.Token!, o.ApiBaseUrl,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DiscordRestClient>>());
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
            var rest = sp.GetRequiredService<DiscordRestClient>();
            var gatewayOptions = new GatewayOptions(o.Token!, Intents)
            {
                GatewayUrl = string.IsNullOrWhiteSpace(o.GatewayUrl) ? null : o.GatewayUrl,
                ShardId = o.ShardId,
                ShardCount = o.ShardCount,
            };
            return new DiscordGatewayClient(gatewayOptions, rest.GetGatewayAsync, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DiscordGatewayClient>>());
        });
        services.AddSingleton<MessageSender>();
        services.AddSingleton<DiscordIdentity>();
        services.AddSingleton<DiscordChannelTypes>();
        services.AddSingleton<DiscordMessageHandler>();
        services.AddSingleton<DiscordInteractionHandler>();
        services.AddSingleton<IDigestPublisher, DiscordDigestPublisher>();
        services.AddHostedService<DiscordAdapter>();
        return builder;
    }
}
