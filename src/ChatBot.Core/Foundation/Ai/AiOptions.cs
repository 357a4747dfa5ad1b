using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Foundation.Ai;

/// <summary>
/// Language model and embedder. The defaults (<c>None</c>, <c>Hashing</c>) need no key, no model file, no network.
/// Every key is settable by environment variable (<c>ChatBot__Ai__ApiKey</c>…).
/// </summary>
public sealed class AiOptions : IValidatableObject
{
    public const string SectionName = "ChatBot:Ai";

    /// <summary><c>None</c>: extractive answers. <c>OpenAI</c>: any OpenAI-compatible chat endpoint through Semantic Kernel.</summary>
    public string Provider { get; set; } = "None";

    /// <summary>OpenAI-compatible base URL, e.g. https://api.openai.com/v1, http://localhost:11434/v1 (Ollama).</summary>
    public string? Endpoint { get; set; }

    /// <summary>API key; may be empty for local servers (Ollama, vLLM, LM Studio, llama.cpp).</summary>
    public string? ApiKey { get; set; }

    public string? ChatModel { get; set; }

    /// <summary><c>Hashing</c> (offline default), <c>OpenAI</c> (same endpoint, <see cref="EmbeddingModel"/>) or <c>Onnx</c> (<see cref="OnnxPath"/>).</summary>
    public string Embedder { get; set; } = "Hashing";

    public string? EmbeddingModel { get; set; }

    /// <summary>Vector size of the OpenAI embedding model (checked against what the endpoint returns).</summary>
    [Range(1, 16384)]
    public int? EmbeddingDimensions { get; set; }

    /// <summary>Folder with <c>model.onnx</c> and <c>vocab.txt</c> of a BERT-family sentence encoder.</summary>
    public string? OnnxPath { get; set; }

    [Range(8, 8192)]
    public int OnnxMaxTokens { get; set; } = 512;

    [Range(1, 1024)]
    public int OnnxBatchSize { get; set; } = 32;

    /// <summary>Prefixes for models trained with them (e5: <c>"query: "</c> and <c>"passage: "</c>).</summary>
    public string QueryPrefix { get; set; } = "";

    public string PassagePrefix { get; set; } = "";

    /// <summary>Dimensions of the hashing embedder. Changing it re-embeds the corpus.</summary>
    [Range(32, 4096)]
    public int HashingDimensions { get; set; } = 384;

    /// <summary>Per call to the language model or embedding endpoint.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// One deadline for all the model calls of one answer (rewriting the question, then writing the answer), retries
    /// included: past it the extractive answer goes out.
    /// </summary>
    [Range(1, 600)]
    public int AnswerDeadlineSeconds { get; set; } = 20;

    /// <summary>Retries of 429 and 5xx (honouring Retry-After) before falling back to the extractive answer.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Folder of the prompt templates (answer.md, summary.md, digest.md, rewrite-query.md).</summary>
    public string PromptsPath { get; set; } = "prompts";

    public bool UsesLanguageModel => Is(Provider, "openai");

    public static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Is(Provider, "none") && !Is(Provider, "openai"))
            yield return Error($"ChatBot:Ai:Provider '{Provider}' must be 'None' or 'OpenAI' (any OpenAI-compatible endpoint).", nameof(Provider));
        if (!Is(Embedder, "hashing") && !Is(Embedder, "openai") && !Is(Embedder, "onnx"))
            yield return Error($"ChatBot:Ai:Embedder '{Embedder}' must be 'Hashing', 'OpenAI' or 'Onnx'.", nameof(Embedder));
        var needsEndpoint = Is(Provider, "openai") || Is(Embedder, "openai");
        if (needsEndpoint && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _))
            yield return Error("ChatBot:Ai:Endpoint must be the absolute URL of an OpenAI-compatible API (e.g. https://api.openai.com/v1 or http://localhost:11434/v1).", nameof(Endpoint));
        if (needsEndpoint && string.IsNullOrWhiteSpace(ApiKey) && Endpoint?.Contains("api.openai.com", StringComparison.OrdinalIgnoreCase) == true)
            yield return Error("ChatBot:Ai:ApiKey is required for api.openai.com (environment: ChatBot__Ai__ApiKey).", nameof(ApiKey));
        if (Is(Provider, "openai") && string.IsNullOrWhiteSpace(ChatModel))
            yield return Error("ChatBot:Ai:ChatModel is required when ChatBot:Ai:Provider is OpenAI (e.g. gpt-4o-mini, llama3.1).", nameof(ChatModel));
        if (Is(Embedder, "openai") && (string.IsNullOrWhiteSpace(EmbeddingModel) || EmbeddingDimensions is null))
            yield return Error("ChatBot:Ai:EmbeddingModel and ChatBot:Ai:EmbeddingDimensions are required when ChatBot:Ai:Embedder is OpenAI.", nameof(EmbeddingModel));
        if (Is(Embedder, "onnx"))
        {
            if (string.IsNullOrWhiteSpace(OnnxPath) || !Directory.Exists(OnnxPath))
                yield return Error($"ChatBot:Ai:OnnxPath '{OnnxPath}' is not a folder; it must hold model.onnx and vocab.txt.", nameof(OnnxPath));
            else if (!File.Exists(Path.Combine(OnnxPath, "model.onnx")) || !File.Exists(Path.Combine(OnnxPath, "vocab.txt")))
                yield return Error($"ChatBot:Ai:OnnxPath '{OnnxPath}' must hold model.onnx and vocab.txt.", nameof(OnnxPath));
        }
    }

    private static ValidationResult Error(string message, string member) => new(message, [member]);
}
