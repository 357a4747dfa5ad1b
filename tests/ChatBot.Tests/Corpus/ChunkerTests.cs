using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Corpus;

public sealed class ChunkerTests
{
    private static readonly Chunker Chunker = new(new ChunkingOptions { TargetChars = 400, OverlapSentences = 1 });

    public static TheoryData<string> SeedIds => new(Fixture.SeedFiles.Select(Path.GetFileNameWithoutExtension).Select(id => id!));

    [Theory]
    [MemberData(nameof(SeedIds))]
    public void Chunks_are_whole_sentences_located_by_offsets(string id)
    {
        var text = BoilerplateCleaner.Default.Clean(Fixture.SeedText(id)).Text;
        var sentences = SentenceSplitter.Split(text);
        var starts = sentences.Select(s => s.Start).ToHashSet();
        var ends = sentences.Select(s => s.End).ToHashSet();

        var chunks = Chunker.Chunk(id, text);

        Assert.True(chunks.Count >= 2);
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            Assert.Equal(i, chunk.Ordinal);
            Assert.Equal(id, chunk.ArticleId);
            Assert.Equal(text[chunk.Start..chunk.End], chunk.Text);
            Assert.Contains(chunk.Start, starts);
            Assert.Contains(chunk.End, ends);
        }
        Assert.Equal(sentences[0].Start, chunks[0].Start);
        Assert.Equal(sentences[^1].End, chunks[^1].End);
    }

    [Fact]
    public void Consecutive_chunks_overlap_by_one_sentence()
    {
        var text = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"Voici la phrase numéro {i} du texte, assez longue pour compter."));
        var sentences = SentenceSplitter.Split(text);

        var chunks = Chunker.Chunk("a", text);

        Assert.True(chunks.Count > 3);
        for (var i = 1; i < chunks.Count; i++)
        {
            var lastOfPrevious = sentences.Last(s => s.End == chunks[i - 1].End);
            Assert.Equal(lastOfPrevious.Start, chunks[i].Start);
        }
    }

    [Fact]
    public void Text_without_punctuation_is_still_cut_to_size()
    {
        var text = string.Join(' ', Enumerable.Repeat("mot", 3000));

        var chunks = Chunker.Chunk("dump", text);

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.True(c.Text.Length <= 800));
        Assert.All(chunks, c => Assert.DoesNotContain("  ", c.Text, StringComparison.Ordinal));
    }
}
