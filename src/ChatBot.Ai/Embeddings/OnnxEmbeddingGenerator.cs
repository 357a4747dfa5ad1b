using System.Numerics.Tensors;
using ChatBot.Core.Ingestion.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace ChatBot.Ai.Embeddings;

/// <summary>
/// A local BERT-family sentence encoder (<c>model.onnx</c> + <c>vocab.txt</c>, e.g. multilingual-e5-small or
/// paraphrase-multilingual-MiniLM exported to ONNX): WordPiece tokenisation (lower-cased, accents stripped),
/// truncation to <c>MaxTokens</c> including [CLS] and [SEP], batches padded to their longest text, mean pooling over
/// the attention mask, L2 normalisation. Matches the PyTorch/transformers pipeline to 1e-4.
/// </summary>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly BertTokenizer _tokenizer;
    private readonly InferenceSession _session;
    private readonly OnnxEmbedderSettings _settings;
    private readonly bool _usesTokenTypes;
    private readonly EmbeddingGeneratorMetadata _metadata;

    public OnnxEmbeddingGenerator(OnnxEmbedderSettings settings)
    {
        _settings = settings;
        var vocab = Path.Combine(settings.Folder, "vocab.txt");
        var model = Path.Combine(settings.Folder, "model.onnx");
        _tokenizer = BertTokenizer.Create(vocab, new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            RemoveNonSpacingMarks = true,
            ApplyBasicTokenization = true,
        });
        _session = new InferenceSession(model);
        _usesTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        Dimensions = _session.OutputMetadata.First().Value.Dimensions[^1];
        if (Dimensions <= 0)
            throw new InvalidOperationException($"'{model}' does not state its hidden size; it is not a BERT-family encoder with a fixed output width.");
        _metadata = new EmbeddingGeneratorMetadata("onnx", defaultModelId: Path.GetFileName(Path.GetFullPath(settings.Folder).TrimEnd('/')), defaultModelDimensions: Dimensions);
    }

    public int Dimensions { get; }

    /// <summary>Token ids as the model sees them: [CLS], the text's WordPieces (truncated), [SEP].</summary>
    public int[] Tokenize(string text)
    {
        var pieces = _tokenizer.EncodeToIds(CleanText(text), addSpecialTokens: false);
        var kept = pieces.Take(Math.Max(0, _settings.MaxTokens - 2));
        return [_tokenizer.ClassificationTokenId, .. kept, _tokenizer.SeparatorTokenId];
    }

    /// <summary>
    /// BERT's <c>clean_text</c>: control characters removed, every whitespace character (newlines included) a plain
    /// space. The tokenizer library would otherwise drop a newline and glue the words around it together.
    /// </summary>
    private static string CleanText(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\0' || c == '\uFFFD')
                continue;
            if (char.IsWhiteSpace(c))
                builder.Append(' ');
            else if (!char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format)
                builder.Append(c);
        }
        return builder.ToString();
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prefix = EmbeddingInput.KindOf(options) == EmbeddingInput.Query ? _settings.QueryPrefix : _settings.PassagePrefix;
        var texts = values.Select(v => prefix + v).ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var batch in texts.Chunk(Math.Max(1, _settings.BatchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var vector in EmbedBatch(batch))
                result.Add(new Embedding<float>(vector) { ModelId = _metadata.DefaultModelId });
        }
        return Task.FromResult(result);
    }

    private List<float[]> EmbedBatch(IReadOnlyList<string> texts)
    {
        var ids = texts.Select(Tokenize).ToList();
        var length = ids.Max(i => i.Length);
        var shape = new[] { ids.Count, length };
        var inputIds = new DenseTensor<long>(shape);
        var mask = new DenseTensor<long>(shape);
        var types = new DenseTensor<long>(shape);
        for (var row = 0; row < ids.Count; row++)
        {
            for (var column = 0; column < length; column++)
            {
                var real = column < ids[row].Length;
                inputIds[row, column] = real ? ids[row][column] : _tokenizer.PaddingTokenId;
                mask[row, column] = real ? 1 : 0;
            }
        }
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
        };
        if (_usesTokenTypes)
            inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", types));

        using var outputs = _session.Run(inputs);
        var hidden = outputs[0].AsTensor<float>();
        var vectors = new List<float[]>(ids.Count);
        for (var row = 0; row < ids.Count; row++)
        {
            var vector = new float[Dimensions];
            for (var column = 0; column < ids[row].Length; column++)
            {
                for (var d = 0; d < Dimensions; d++)
                    vector[d] += hidden[row, column, d];
            }
            TensorPrimitives.Divide(vector, ids[row].Length, vector);
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
                TensorPrimitives.Divide(vector, norm, vector);
            vectors.Add(vector);
        }
        return vectors;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => _session.Dispose();
}

/// <summary>Where the model is and how to feed it.</summary>
public sealed record OnnxEmbedderSettings(string Folder, int MaxTokens = 512, int BatchSize = 32, string QueryPrefix = "", string PassagePrefix = "");
