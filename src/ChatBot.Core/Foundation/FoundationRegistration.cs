using ChatBot.Core.Foundation.Ai;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Foundation.Hosting;
using ChatBot.Core.Foundation.Replicas;
using ChatBot.Core.Foundation.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Foundation;

/// <summary>What every stage stands on: the clock, the metrics, the text analysers, replica leadership, the AI settings.</summary>
public static class FoundationRegistration
{
    public static IHostApplicationBuilder AddFoundation(this IHostApplicationBuilder builder)
    {
        var root = builder.Environment.ContentRootPath;
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddBotMetrics();
        builder.Services.AddSingleton(TextAnalyzer.Shared);
        builder.Services.AddSingleton(WordAnalysers.Shared);
        builder.Services.TryAddSingleton<ILeadership, SoleLeadership>();
        builder.Services.AddValidatedOptions<AiOptions>(AiOptions.SectionName)
            .PostConfigure(o =>
            {
                o.PromptsPath = ContentRoot.Resolve(root, o.PromptsPath);
                if (!string.IsNullOrWhiteSpace(o.OnnxPath))
                    o.OnnxPath = ContentRoot.Resolve(root, o.OnnxPath);
            });
        return builder;
    }

    /// <summary>Options bound from <paramref name="section"/>, validated by their data annotations when the host starts.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
