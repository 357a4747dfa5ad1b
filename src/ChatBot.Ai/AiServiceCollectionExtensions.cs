using System.ClientModel;
using System.ClientModel.Primitives;
using ChatBot.Ai.Answers;
using ChatBot.Ai.Embeddings;
using ChatBot.Core.Answering;
using ChatBot.Core.Foundation.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using OpenAI;

namespace ChatBot.Ai;

public static class AiServiceCollectionExtensions
{
    /// <summary>
    /// Language model and embedder from <c>ChatBot:Ai</c>. With the defaults (<c>None</c>, <c>Hashing</c>) it adds
    /// nothing; otherwise it replaces the core's offline answer generator and/or embedder. Call after AddChatBotCore.
    /// </summary>
    public static IHostApplicationBuilder AddAi(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection(AiOptions.SectionName).Get<AiOptions>() ?? new AiOptions();
        var services = builder.Services;
        var needsClient = configured.UsesLanguageModel || AiOptions.Is(configured.Embedder, "openai");
        if (needsClient)
        {
            services.AddHttpClient(nameof(OpenAIClient), http => http.Timeout = Timeout.InfiniteTimeSpan);
            services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<AiOptions>>().Value, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(OpenAIClient))));
        }

        if (AiOptions.Is(configured.Embedder, "onnx"))
        {
            services.Replace(ServiceDescriptor.Singleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            {
                var o = sp.GetRequiredService<IOptions<AiOptions>>().Value;
                return new OnnxEmbeddingGenerator(new OnnxEmbedderSettings(o.OnnxPath!, o.OnnxMaxTokens, o.OnnxBatchSize, o.QueryPrefix, o.PassagePrefix));
            }));
        }
        else if (AiOptions.Is(configured.Embedder, "openai"))
        {
            services.Replace(ServiceDescriptor.Singleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            {
                var o = sp.GetRequiredService<IOptions<AiOptions>>().Value;
                var inner = sp.GetRequiredService<OpenAIClient>().GetEmbeddingClient(o.EmbeddingModel!).AsIEmbeddingGenerator();
                return new CheckedEmbeddingGenerator(inner, o.EmbeddingModel!, o.EmbeddingDimensions!.Value);
            }));
        }

        if (configured.UsesLanguageModel)
        {
            services.AddSingleton(sp =>
            {
                var kernel = Kernel.CreateBuilder();
                kernel.AddOpenAIChatCompletion(sp.GetRequiredService<IOptions<AiOptions>>().Value.ChatModel!, sp.GetRequiredService<OpenAIClient>());
                return kernel.Build();
            });
            services.AddSingleton(sp => new PromptLibrary(sp.GetRequiredService<IOptions<AiOptions>>().Value.PromptsPath));
            services.AddHostedService<PromptsStartupCheck>();
            services.AddSingleton<ILanguageModel, SemanticKernelLanguageModel>();
            services.AddSingleton<ExtractiveAnswerGenerator>();
            services.Replace(ServiceDescriptor.Singleton<IAnswerGenerator, SemanticKernelAnswerGenerator>());
        }
        return builder;
    }

    /// <summary>
    /// One client for any OpenAI-compatible server. The client library's retry policy retries 408, 429 and 5xx with
    /// exponential backoff and honours <c>Retry-After</c>; each try is bounded by <see cref="AiOptions.TimeoutSeconds"/>.
    /// </summary>
    public static OpenAIClient CreateClient(AiOptions options, HttpClient http) =>
        new(new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(options.Endpoint!),
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
            Transport = new HttpClientPipelineTransport(http),
        });
}
