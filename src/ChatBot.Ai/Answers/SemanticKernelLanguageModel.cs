using ChatBot.Core.Answering;
using ChatBot.Core.Foundation.Ai;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace ChatBot.Ai.Answers;

/// <summary>
/// The prompt templates run through Semantic Kernel: temperature 0, a fixed seed, a time limit covering the client's
/// retries. Any provider failure becomes <see cref="LanguageModelUnavailableException"/> for the caller's fallback.
/// </summary>
public sealed class SemanticKernelLanguageModel(Kernel kernel, PromptLibrary prompts, IOptions<AiOptions> options) : ILanguageModel
{
    private static readonly OpenAIPromptExecutionSettings Settings = new() { Temperature = 0, Seed = 7, MaxTokens = 700 };

    private readonly Dictionary<string, KernelFunction> _functions = PromptLibrary.Required
        .Select(Path.GetFileNameWithoutExtension)
        .ToDictionary(name => name!, name => prompts.Function(kernel, name!, Settings));

    public async Task<string> CompleteAsync(string prompt, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds * (options.Value.MaxRetries + 1) + 5));
        var arguments = new KernelArguments(Settings);
        foreach (var (name, value) in variables)
            arguments[name] = value;
        try
        {
            var result = await kernel.InvokeAsync(_functions[prompt], arguments, timeout.Token);
            return (result.GetValue<string>() ?? "").Trim();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LanguageModelUnavailableException($"The language model did not answer the '{prompt}' prompt: {ex.Message}", ex);
        }
    }
}
