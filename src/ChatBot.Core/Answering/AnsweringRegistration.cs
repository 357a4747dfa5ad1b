using ChatBot.Core.Answering.Summaries;
using ChatBot.Core.Foundation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ChatBot.Core.Answering;

/// <summary>The fourth stage: the answer from what retrieval found (extractive or by a language model), citations checked, summaries.</summary>
public static class AnsweringRegistration
{
    public static IHostApplicationBuilder AddAnswering(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AnswerOptions>(AnswerOptions.SectionName);
        services.AddSingleton<CitationChecker>();
        services.AddSingleton<OptionalLanguageModel>();
        services.AddSingleton<QuestionRewriter>();
        services.AddSingleton<ExtractiveAnswerGenerator>();
        services.TryAddSingleton<IAnswerGenerator>(sp => sp.GetRequiredService<ExtractiveAnswerGenerator>());
        services.AddSingleton<QuestionAnswerer>();
        services.AddSingleton<SentenceCentrality>();
        services.AddSingleton<Summarizer>();
        return builder;
    }
}
