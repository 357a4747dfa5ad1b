using ChatBot.Core.Answering;
using ChatBot.Core.Conversation;
using ChatBot.Core.Digest;
using ChatBot.Core.Foundation;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Retrieval;
using Microsoft.Extensions.Hosting;

namespace ChatBot.Core;

/// <summary>The composition root of the core: each stage registers its own services, in the order data flows.</summary>
public static class CoreRegistration
{
    /// <summary>The platform-neutral bot: corpus pipeline, index, retrieval and answers, on the embedded default.</summary>
    public static IHostApplicationBuilder AddChatBotCore(this IHostApplicationBuilder builder) => builder
        .AddFoundation()
        .AddIngestion()
        .AddIndexing()
        .AddRetrieval()
        .AddAnswering()
        .AddConversation()
        .AddDigestStage();
}
