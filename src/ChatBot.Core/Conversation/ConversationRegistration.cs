using ChatBot.Core.Conversation.Adapters;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Conversation.Commands.Admin;
using ChatBot.Core.Conversation.Commands.Ask;
using ChatBot.Core.Conversation.Commands.Help;
using ChatBot.Core.Conversation.Commands.Sources;
using ChatBot.Core.Conversation.Commands.Summary;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Conversation.Memory;
using ChatBot.Core.Foundation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatBot.Core.Conversation;

/// <summary>The fifth stage: what chat platforms share: the durable inbox, commands, access and quotas, conversation memory.</summary>
public static class ConversationRegistration
{
    public static IHostApplicationBuilder AddConversation(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ControlsOptions>(ControlsOptions.SectionName);
        services.AddValidatedOptions<ConversationOptions>(ConversationOptions.SectionName);
        services.AddValidatedOptions<AdapterOptions>(AdapterOptions.SectionName);
        services.AddSingleton<DurableInbox>();
        services.AddSingleton<SourcesCatalog>();
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<QuotaLimiter>();
        services.AddSingleton<UsageStatistics>();
        services.AddSingleton<QuestionRecorder>();
        services.AddSingleton<FeedbackService>();
        services.AddSingleton<ICommandHandler, AskCommandHandler>();
        services.AddSingleton<ICommandHandler, SummaryCommandHandler>();
        services.AddSingleton<ICommandHandler, SourcesCommandHandler>();
        services.AddSingleton<ICommandHandler, HelpCommandHandler>();
        services.AddSingleton<ICommandHandler, ReindexCommandHandler>();
        services.AddSingleton<ICommandHandler, StatsCommandHandler>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<ConversationRouter>();
        services.AddSingleton<ConversationMemory>();
        return builder;
    }
}
