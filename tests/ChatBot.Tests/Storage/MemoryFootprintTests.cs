using ChatBot.Core.Indexing;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Tests.Storage;

/// <summary>Where the index's memory goes, counted from its structures (the <c>pipeline</c> benchmark prints it per corpus).</summary>
public sealed class MemoryFootprintTests
{
    [Fact]
    public void The_lexical_index_reports_each_structure_and_its_postings_grow_with_the_chunks()
    {
        using var small = new LexicalIndex();
        using var large = new LexicalIndex();
        small.Add(1, "Moscou et Téhéran", "La Russie livre des drones à l'Iran.");
        for (var i = 0; i < 200; i++)
            large.Add(i, $"Titre {i}", $"La Russie livre des drones à l'Iran, numéro {i}, selon le ministère {i * 7}.");

        var few = small.Footprint().ToDictionary(p => p.Structure, p => p.Bytes);
        var many = large.Footprint().ToDictionary(p => p.Structure, p => p.Bytes);

        Assert.Contains("postings light chunks", few.Keys);
        Assert.Contains("terms prefix", few.Keys);
        Assert.Contains("per-chunk metadata (ids, lengths, words)", few.Keys);
        Assert.True(many["postings light chunks"] > few["postings light chunks"]);
        Assert.True(many["per-chunk metadata (ids, lengths, words)"] > few["per-chunk metadata (ids, lengths, words)"]);
        Assert.All(many.Values, bytes => Assert.True(bytes >= 0));
    }

    [Fact]
    public void The_vectors_count_four_bytes_a_dimension_in_full_precision()
    {
        using var vectors = new VectorIndex(64);
        for (var i = 0; i < 100; i++)
            vectors.Upsert(i, Enumerable.Range(0, 64).Select(d => (float)Math.Sin(i + d)).ToArray());

        var full = vectors.Footprint().Single(p => p.Structure == "vectors (float32)").Bytes;

        Assert.InRange(full, 100 * 64 * 4, 100 * 64 * 4 * 50); // whole segments are allocated ahead
    }

    [Fact]
    public void Sizes_follow_the_runtime_s_object_layout()
    {
        Assert.Equal(24 + 400, ManagedSize.ArrayOf(100, 4));
        Assert.Equal(32, ManagedSize.Text(5)); // 22 + 10, rounded to 8
        Assert.Equal(24, ManagedSize.Instance(8));
    }

    [Fact]
    public void The_thesaurus_counts_its_headwords_and_the_stems_asked_for()
    {
        var few = FrenchSynonyms.Load(["frapper\tcogner battre"], WordAnalysers.Shared);
        var many = FrenchSynonyms.Load(Enumerable.Range(0, 300).Select(i => $"mot{i}\tsynonyme{i} autre{i} encore{i}"), WordAnalysers.Shared);
        var before = many.Footprint().Single(p => p.Structure == "thesaurus fr (stems asked for)").Bytes;

        _ = many.Of(WordAnalysers.Shared.SnowballStem("mot7"));

        Assert.True(many.Footprint()[0].Bytes > few.Footprint()[0].Bytes + 300 * 3 * 2 * "synonyme".Length);
        Assert.True(many.Footprint().Single(p => p.Structure == "thesaurus fr (stems asked for)").Bytes > before);
    }

    [Fact]
    public void The_shipped_word_lists_report_what_they_hold()
    {
        Assert.True(EnglishLexicon.Default.Footprint().Single().Bytes > 200_000); // lexicon-en-fr.tsv is 213 kB of text
        Assert.True(FrenchParaphrases.Default.Footprint().Single().Bytes > 0);
    }
}
