using Microsoft.Extensions.AI;

namespace ChatBot.Core.Ingestion.Embeddings;

/// <summary>
/// Tells an embedder whether it embeds a question or a passage, for models trained with prefixes (e5: "query: " and
/// "passage: "). Passed in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>; embedders without prefixes ignore it.
/// </summary>
public static class EmbeddingInput
{
    public const string Key = "chatbot.input";
    public const string Query = "query";
    public const string Passage = "passage";

    public static EmbeddingGenerationOptions For(string kind) => new() { AdditionalProperties = new AdditionalPropertiesDictionary { [Key] = kind } };

    public static string KindOf(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Key, out var kind) == true && kind is string text ? text : Passage;
}
