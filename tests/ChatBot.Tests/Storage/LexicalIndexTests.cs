using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Retrieval.Understanding;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Storage;

/// <summary>The in-memory fielded BM25 index: analysers fused, fields weighed, removals forgotten exactly.</summary>
public sealed class LexicalIndexTests
{
    private static LexicalQuery Query(string text) => LexicalQuery.FromText(text, WordAnalysers.Shared);

    private static List<(long Id, string Title, string Text)> SeedParagraphs() => Fixture.SeedFiles.Select(File.ReadAllText)
        .SelectMany((t, article) => t.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length > 80).Select(p => (Article: article, Text: p)))
        .Select((p, i) => ((long)i, $"Article {p.Article}", p.Text))
        .ToList();

    [Fact]
    public void After_removals_and_a_sweep_it_ranks_exactly_as_an_index_built_from_the_survivors()
    {
        var paragraphs = SeedParagraphs();
        using var index = new LexicalIndex();
        index.AddRange(paragraphs);
        // Remove two thirds: the tombstones outnumber the live chunks, so the index sweeps them.
        foreach (var (id, _, _) in paragraphs.Where(p => p.Item1 % 3 != 0))
            Assert.True(index.Remove(id));
        using var fresh = new LexicalIndex();
        fresh.AddRange(paragraphs.Where(p => p.Item1 % 3 == 0));

        var found = 0;
        foreach (var question in new[] { "Poutine Iran aide militaire", "accord nucléaire signé juillet", "Khamenei succession pouvoir", "défense aérienne S-300", "gaz pétrole sanctions" })
        {
            var expected = fresh.Search(Query(question), 10);
            var actual = index.Search(Query(question), 10);
            found += expected.Count;
            Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Id));
            Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 5));
        }
        Assert.True(found >= 10, $"{found} hits in all");
        Assert.Equal((paragraphs.Count + 2) / 3, index.Count);
        Assert.False(index.Remove(1));
    }

    [Fact]
    public void Analysers_scored_side_by_side_rank_and_score_exactly_as_one_after_the_other()
    {
        using var index = new LexicalIndex();
        index.AddRange(SeedParagraphs());
        // Chunks and titles that only the prefix analyser finds for "militaire" (the light stemmer keeps the words apart):
        // the lane that scores it touches chunks and groups the other does not.
        index.Add(90_001, "La militarisation du Caucase", "La militarisation de la région inquiète les voisins.");
        index.Add(90_002, "Militarisation", "Les voisins s'inquiètent.");
        var questions = new[] { "Poutine Iran aide militaire", "accord nucléaire signé juillet", "Khamenei succession pouvoir", "défense aérienne S-300", "gaz pétrole sanctions", "présence militaire", "voisins inquiets" };
        index.ParallelPostings = int.MaxValue;
        var alone = questions.Select(q => index.Search(Query(q), 20)).ToList();
        index.ParallelPostings = 0;
        index.MaxLanes = 2;
        var found = 0;
        foreach (var (question, expected) in questions.Zip(alone))
        {
            // Twice: the second search rents the pooled lanes the first returned, which must come back clean.
            foreach (var _ in Enumerable.Range(0, 2))
            {
                var actual = index.Search(Query(question), 20);
                found += actual.Count;
                Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Id));
                Assert.Equal(expected.Select(e => e.Score), actual.Select(a => a.Score));
                Assert.All(expected.Zip(actual), pair =>
                {
                    Assert.Equal(pair.First.Fielded, pair.Second.Fielded);
                    Assert.Equal(pair.First.Title, pair.Second.Title);
                    Assert.Equal(pair.First.Document, pair.Second.Document);
                    Assert.Equal(pair.First.Best, pair.Second.Best);
                });
            }
        }
        Assert.True(found >= 60, $"{found} hits in all");
        Assert.Contains(alone[^2], h => h.Id == 90_001 && h.Body[(int)TermAnalyser.Light] == 0 && h.Body[(int)TermAnalyser.Prefix] > 0);
        Assert.Contains(alone[^1], h => h.Id == 90_002 && h.Title[(int)TermAnalyser.Prefix] == 0);
        // And one lane again after the lanes: nothing either left behind.
        index.ParallelPostings = int.MaxValue;
        Assert.Equal(alone[0].Select(h => (h.Id, h.Score)), index.Search(Query(questions[0]), 20).Select(h => (h.Id, h.Score)));
    }

    [Fact]
    public void Postings_far_apart_and_frequencies_past_a_byte_read_back_as_written()
    {
        // Postings are stored as two-byte distances, escaped past 65,534: 70,000 chunks apart takes the escape.
        using var index = new LexicalIndex();
        var chunks = Enumerable.Range(0, 70_001).Select(i => ((long)i, "Titre", i is 0 or 70_000 ? "Le Bouchehr rare ici." : $"Texte ordinaire {i % 7}.")).ToList();
        chunks.Add((100_000, "Titre", string.Join(' ', Enumerable.Repeat("Bouchehr", 300))));
        index.AddRange(chunks);
        using var small = new LexicalIndex();
        small.AddRange(chunks.Where(c => c.Item1 is 0 or 70_000 or 100_000));

        var hits = index.Search(Query("Bouchehr"), 5);

        Assert.Equal([100_000L, 0, 70_000], hits.Select(h => h.Id));
        // The same frequencies (300 read as the 255 a byte holds, as before) give the same order and the same body scores relative to each other.
        var alone = small.Search(Query("Bouchehr"), 5);
        Assert.Equal(alone.Select(h => h.Id), hits.Select(h => h.Id));
        Assert.Equal(hits[1].Score, hits[2].Score, 6);
    }

    [Fact]
    public void A_word_bag_reads_back_each_word_once_with_its_frequency_capped_at_a_byte()
    {
        // Ids close together (one byte), far apart (four bytes), a word seen once (no frequency byte), 300 times (capped).
        int[] ids = [0, 0, 5, 127, 128, 128, 128, 70_000, .. Enumerable.Repeat(70_001, 300), 9_000_000];

        var bag = WordBag.Of(ids);

        Assert.Equal(
            [new(0, 2), new(5, 1), new(127, 1), new(128, 3), new(70_000, 1), new(70_001, 255), new(9_000_000, 1)],
            ToList(bag));
        Assert.True(bag.Length < 4 * 7, $"{bag.Length} bytes for 7 words");
        // A bag read from a snapshot is a slice of a shared page: it reads its own bytes only, not its neighbours'.
        var page = new byte[bag.Length + 10];
        page.AsSpan().Fill(0x81);
        bag.Bytes.CopyTo(page.AsSpan(5));
        Assert.Equal(ToList(bag), ToList(new WordBag(page, 5, bag.Length)));
        Assert.Empty(ToList(WordBag.Of([])));
        Assert.Throws<ArgumentException>(() => WordBag.Of([3, 2]));

        static List<WordCount> ToList(WordBag bag)
        {
            var list = new List<WordCount>();
            foreach (var entry in bag)
                list.Add(entry);
            return list;
        }
    }

    [Fact]
    public void A_gram_counts_a_chunk_once_function_words_included_and_removals_take_it_back()
    {
        using var index = new LexicalIndex();
        index.Add(1, "A", "Les militaires et le militaire de la base.");
        index.Add(2, "B", "Une coopération militaire.");

        // "<mil" is in two words of chunk 1 and one of chunk 2: two chunks (BM25's document frequency), not three words.
        Assert.Equal(2, index.GramFrequency("<mil"));
        // Function words, indexed or not, have grams too: the chunk's gram length and frequencies count its whole text.
        Assert.Equal(1, index.GramFrequency("<les"));
        Assert.Equal(1, index.GramFrequency("<de>"));
        index.Remove(1);
        Assert.Equal((1, 0, 0), (index.GramFrequency("<mil"), index.GramFrequency("<les"), index.GramFrequency("<de>")));
    }

    [Fact]
    public void After_removals_the_rerankers_statistics_are_those_of_an_index_built_from_the_survivors()
    {
        var paragraphs = SeedParagraphs();
        using var index = new LexicalIndex();
        index.AddRange(paragraphs);
        foreach (var (id, _, _) in paragraphs.Where(p => p.Item1 % 3 != 0))
            index.Remove(id);
        using var fresh = new LexicalIndex();
        fresh.AddRange(paragraphs.Where(p => p.Item1 % 3 == 0));

        var query = Query("Poutine pendant la visite à Téhéran contre les sanctions");
        var ids = paragraphs.Where(p => p.Item1 % 3 == 0).Select(p => p.Item1).ToList();
        var expected = fresh.Describe(query, ids);
        var actual = index.Describe(query, ids);

        Assert.Contains(expected.Chunks, c => c!.CharGramScore > 0);
        Assert.All(expected.Chunks.Zip(actual.Chunks), pair => Assert.Equal(pair.First!.CharGramScore, pair.Second!.CharGramScore, 9));
        Assert.Equal(expected.Concepts.Select(c => c.DocumentFrequency), actual.Concepts.Select(c => c.DocumentFrequency));
    }

    [Fact]
    public void A_longer_function_word_is_counted_for_the_reranker_but_never_searched()
    {
        using var index = new LexicalIndex();
        index.Add(1, "A", "L'armée russe a bombardé Alep après la trêve.");
        index.Add(2, "B", "L'armée russe a bombardé Alep pendant la trêve.");
        index.Add(3, "C", "Le contrat a été signé pendant l'hiver.");
        index.Add(4, "D", "Ils se battent contre l'armée.");

        var query = QueryBuilder.Default.Build("Qu'a bombardé l'armée russe pendant la trêve ?");
        var description = index.Describe(query.Lexical, [1, 2]);
        var pendant = query.Searched.ToList().FindIndex(c => c.Folded == "pendant");

        // The reranker sees it: chunk 2 holds it, chunk 1 does not, and it is common (two chunks of four).
        Assert.True(pendant >= 0);
        Assert.Equal((0f, 1f), (description.Chunks[0]!.Frequency(pendant), description.Chunks[1]!.Frequency(pendant)));
        Assert.Equal(2, index.DocumentFrequency("pendant"));
        Assert.Equal(0, index.DocumentFrequency("la")); // short function words are not indexed at all
        // The first ranking never searches it, nor does "contre" answer "contrat" through a shared prefix.
        Assert.Empty(index.Search(LexicalQuery.FromText("pendant", WordAnalysers.Shared), 5));
        Assert.Equal([3L], index.Search(LexicalQuery.FromText("contrat", WordAnalysers.Shared), 5).Select(h => h.Id));
    }

    [Fact]
    public void The_rerankers_exact_form_score_reads_every_word_of_the_question_as_written()
    {
        using var index = new LexicalIndex();
        index.Add(1, "A", "Les forces russes sont entrées dans la ville.");
        index.Add(2, "B", "La force russe est entrée en ville.");
        index.Add(3, "C", "Un autre texte, une météo pluvieuse.");
        index.Add(4, "D", "Encore un texte sur la pluie.");

        var query = QueryBuilder.Default.Build("Quand les forces russes sont-elles entrées dans la ville ?");
        var description = index.Describe(query.Lexical, [1, 2, 3]);

        // The same stems in chunks 1 and 2, but only chunk 1 uses the question's very words ("forces", "sont", "dans", "les").
        Assert.True(description.Chunks[0]!.WordScore > description.Chunks[1]!.WordScore,
            $"{description.Chunks[0]!.WordScore} vs {description.Chunks[1]!.WordScore}");
        Assert.Equal(0, description.Chunks[2]!.WordScore);
        Assert.Contains("les", query.Words);
        // An English question's words are not the corpus's: the score is left to the French ones.
        Assert.Empty(QueryBuilder.Default.Build("When did the Russian forces enter the city?").Words);
    }

    [Fact]
    public void A_rare_word_outranks_a_common_one_and_frequencies_follow_removals()
    {
        using var index = new LexicalIndex();
        index.Add(1, "A", "Moscou et Téhéran signent un accord.");
        index.Add(2, "B", "Moscou annonce une visite.");
        index.Add(3, "C", "Moscou et Damas.");

        var hits = index.Search(Query("Téhéran Moscou"), 3);

        Assert.Equal(1, hits[0].Id);
        Assert.Equal((3, 1), (index.DocumentFrequency("moscou"), index.DocumentFrequency("teheran")));
        index.Remove(1);
        Assert.Equal((2, 0, 2), (index.DocumentFrequency("moscou"), index.DocumentFrequency("teheran"), index.Count));
        Assert.Empty(index.Search(Query("Téhéran"), 3));
    }

    [Fact]
    public void The_title_and_the_whole_titled_document_lift_a_chunk_whose_own_text_says_less()
    {
        using var index = new LexicalIndex();
        // Two chunks mention "visite" once; only one belongs to an article about Hamedan (its title, its other chunk).
        index.Add(1, "La base aérienne de Hamedan", "Une visite a eu lieu mardi.");
        index.Add(2, "La base aérienne de Hamedan", "Les bombardiers russes ont décollé de Hamedan.");
        index.Add(3, "Le sommet de Vienne", "Une visite a eu lieu mardi.");
        index.Add(4, "Le sommet de Vienne", "Les diplomates se sont réunis.");

        var hits = index.Search(Query("visite Hamedan"), 4);
        var withoutFields = index.Search(Query("visite Hamedan"), 4, LexicalScoring.Default with { TitleWeight = 0, DocumentWeight = 0 });

        Assert.True(hits.Single(h => h.Id == 1).Score > hits.Single(h => h.Id == 3).Score);
        Assert.Equal(withoutFields.Single(h => h.Id == 1).Score, withoutFields.Single(h => h.Id == 3).Score, 5);
        Assert.True(hits.Single(h => h.Id == 1).Title[(int)TermAnalyser.Light] > 0);
        Assert.True(hits.Single(h => h.Id == 1).Document[(int)TermAnalyser.Light] > 0);
    }

    [Fact]
    public void The_analysers_together_find_inflections_one_stemmer_keeps_apart()
    {
        using var index = new LexicalIndex();
        index.Add(1, "A", "La militarisation de la région inquiète.");
        index.Add(2, "B", "Le marché du blé est stable.");

        // The light stemmer keeps "militaire" and "militarisation" apart; the 5-letter prefix joins them.
        var hit = Assert.Single(index.Search(Query("présence militaire"), 5));

        Assert.Equal(1, hit.Id);
        Assert.Equal(0, hit.Body[(int)TermAnalyser.Light]);
        Assert.True(hit.Body[(int)TermAnalyser.Prefix] > 0);
    }

    [Fact]
    public void Similar_finds_index_words_one_or_two_edits_away_and_only_live_ones()
    {
        using var index = new LexicalIndex();
        index.Add(1, "A", "Le ministre Hossein Dehghan et Sergueï Choïgou à Téhéran.");
        index.Add(2, "B", "La coalition internationale.");

        Assert.Equal("dehghan", index.Similar("dehgan", 0.15, 5, maxDistance: 1)[0].Folded);
        Assert.Equal("coalition", index.Similar("coalitoin", 0.15, 5, maxDistance: 1)[0].Folded);
        Assert.Equal("choigou", index.Similar("shoigu", 0.15, 5, maxDistance: 2)[0].Folded);
        Assert.Empty(index.Similar("brasilia", 0.15, 5, maxDistance: 2));

        index.Remove(2);
        Assert.Empty(index.Similar("coalitoin", 0.15, 5, maxDistance: 1));
    }

    [Fact]
    public void Similar_finds_words_before_and_after_its_table_of_grams_is_rebuilt()
    {
        // 3,000 made-up words: past the 1,024 new words the gram table folds into its compact array; later words
        // wait in the small table until they are an eighth of the array, and are found from both.
        using var index = new LexicalIndex();
        var words = Enumerable.Range(0, 3_000).Select(i => $"mot{Letters(i)}").ToList();
        index.AddRange(words.Chunk(50).Select((c, i) => ((long)i, "Titre", string.Join(' ', c))));
        index.Add(1_000, "B", "Le ministre Hossein Dehghan.");

        Assert.Equal("dehghan", index.Similar("dehgan", 0.15, 5, maxDistance: 1)[0].Folded); // rebuilt: 3,000 words
        index.Add(1_001, "C", "La coalition internationale.");
        Assert.Equal("coalition", index.Similar("coalitoin", 0.15, 5, maxDistance: 1)[0].Folded); // one recent word
        Assert.Equal("dehghan", index.Similar("dehgan", 0.15, 5, maxDistance: 1)[0].Folded);
        Assert.Contains(index.Similar($"mot{Letters(1_234)}x", 0.15, 5, maxDistance: 1), w => w.Folded == $"mot{Letters(1_234)}");

        index.Add(2_000, "D", string.Join(' ', Enumerable.Range(5_000, 1_100).Select(i => $"mot{Letters(i)}")));
        Assert.Equal("coalition", index.Similar("coalitoin", 0.15, 5, maxDistance: 1)[0].Folded); // rebuilt again
        Assert.Contains(index.Similar($"mot{Letters(6_000)}x", 0.15, 5, maxDistance: 1), w => w.Folded == $"mot{Letters(6_000)}");

        static string Letters(int i) => new(Enumerable.Range(0, 4).Select(d => (char)('b' + i / (int)Math.Pow(20, d) % 20)).ToArray());
    }

    [Fact]
    public void Describe_reads_each_candidates_frequencies_per_concept_from_its_word_list()
    {
        using var index = new LexicalIndex();
        index.Add(1, "Hamedan", "Les avions russes, des Su-34, ont décollé d'Hamedan. Les avions sont repartis.");
        index.Add(2, "Vienne", "Rien à voir.");
        var query = Query("avions Hamedan");

        var description = index.Describe(query, [1, 2, 99]);

        var first = description.Chunks[0]!;
        Assert.Equal(2, first.Frequency(0)); // "avions" twice
        Assert.Equal(1, first.Frequency(1));
        Assert.True(first.InTitle[1]);
        Assert.True(first.CharGramScore > 0);
        Assert.Equal(0, description.Chunks[1]!.Frequency(0));
        Assert.Null(description.Chunks[2]);
        Assert.Equal(1, description.Concepts[0].DocumentFrequency);
    }
}
