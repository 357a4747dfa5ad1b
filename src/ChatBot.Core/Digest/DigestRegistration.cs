using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Digest.Commands;
using ChatBot.Core.Foundation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatBot.Core.Digest;

/// <summary>The last stage: the digest of new articles, its <c>/digest</c> command, and the schedule that posts it.</summary>
public static class DigestRegistration
{
    public static IHostApplicationBuilder AddDigestStage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DigestOptions>(DigestOptions.SectionName);
        builder.Services.AddSingleton<DigestBuilder>();
        builder.Services.AddSingleton<ICommandHandler, DigestCommandHandler>();
        return builder;
    }

    /// <summary>Posts the daily digest to <c>ChatBot:Digest:Targets</c> while the host runs.</summary>
    public static IHostApplicationBuilder AddDigest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DigestService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DigestService>());
        return builder;
    }
}
