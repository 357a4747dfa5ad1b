using System.Diagnostics;
using ChatBot.Ai.Embeddings;
using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Benchmarks;

/// <summary>Chunks per second through the ONNX embedder, one at a time and in batches of 32.</summary>
internal static class OnnxThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var folder = args.FirstOrDefault() ?? Path.Combine("tests", "ChatBot.Tests", "Fixtures", "tiny-bert");
        var corpus = Path.Combine("tests", "ChatBot.Tests", "Fixtures", "corpus");
        var chunker = new Chunker(new ChunkingOptions());
        var texts = Directory.GetFiles(corpus, "*.txt")
            .SelectMany(f => chunker.Chunk("x", BoilerplateCleaner.Default.Clean(File.ReadAllText(f)).Text).Select(c => c.Text))
            .ToList();
        while (texts.Count < 256)
            texts.AddRange(texts.Take(256 - texts.Count).ToList());

        Console.WriteLine($"ONNX embedder, model {folder}, {texts.Count} chunks of ~900 characters, {Environment.ProcessorCount} cores");
        Console.WriteLine("| batch | chunks/s | ms/chunk |");
        Console.WriteLine("|---|---|---|");
        foreach (var batch in new[] { 1, 32 })
        {
            using var embedder = new OnnxEmbeddingGenerator(new OnnxEmbedderSettings(folder, MaxTokens: 512, BatchSize: batch));
            await embedder.GenerateAsync(texts.Take(batch).ToList()); // warm-up
            var clock = Stopwatch.StartNew();
            await embedder.GenerateAsync(texts);
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"| {batch} | {texts.Count / seconds:0} | {seconds * 1000 / texts.Count:0.00} |");
        }
        return 0;
    }
}
