using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Retrieval.Understanding;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Retrieval;

public sealed class EvidenceTests
{
    private static QueryConcept Concept(string folded, bool name = false) =>
        new(folded, folded, [new LexicalAlternative(folded, 1f)]) { IsName = name, Known = true };

    [Fact]
    public void A_word_of_the_same_family_counts_as_evidence_but_not_for_choosing_a_sentence()
    {
        var words = new TextWords("La construction de l'hôtel fut confiée à deux architectes.", WordAnalysers.Shared);

        // "constructeurs" and "construction" share neither a stem nor a spelling one edit away: only the shared start links them.
        Assert.False(words.Contains(Concept("constructeurs")));
        Assert.True(words.Contains(Concept("constructeurs"), sharedStart: true));
        // Short words are not read so loosely ("prend" is not "premier"), nor is a word sharing only three letters.
        Assert.False(words.Contains(Concept("arme"), sharedStart: true));
        Assert.False(words.Contains(Concept("prefet"), sharedStart: true));
    }

    [Fact]
    public void A_synonym_counts_as_evidence_where_the_decline_test_reads_it_and_nowhere_else()
    {
        const string text = "Le ministre est suspecté d'avoir détourné des fonds.";
        var withSynonyms = new TextWords(text, WordAnalysers.Shared, FrenchSynonyms.Default);
        var without = new TextWords(text, WordAnalysers.Shared);

        Assert.True(withSynonyms.Contains(Concept("soupconne"), sharedStart: true));
        Assert.False(withSynonyms.Contains(Concept("soupconne"))); // choosing a sentence reads the words themselves
        Assert.False(without.Contains(Concept("soupconne"), sharedStart: true));
        Assert.False(withSynonyms.Contains(Concept("condamne"), sharedStart: true)); // "condamner" is not a synonym
    }

    [Fact]
    public void Synonyms_are_read_from_the_file_by_stem()
    {
        var synonyms = FrenchSynonyms.Load(["# a comment line is skipped", "soupçonner\tsuspecter flairer", "no tab here", "soupçon\tdoute"], WordAnalysers.Shared);
        var stem = WordAnalysers.Shared.SnowballStem;

        Assert.Contains(stem("suspecter"), synonyms.Of(stem("soupconne")));
        Assert.Contains(stem("flairer"), synonyms.Of(stem("soupconnait")));
        Assert.Empty(synonyms.Of(stem("suspecter"))); // one way: the thesaurus lists each headword's own synonyms
        Assert.True(FrenchSynonyms.Default.Count > 20_000);
    }

    [Fact]
    public async Task A_question_in_other_words_than_its_passage_finds_its_evidence_through_synonyms()
    {
        await using var bot = new TestBot();
        File.WriteAllText(bot.ArticlePath("fonds.jsonl"), """
            {"id": "fonds", "title": "Un ministre mis en cause", "source": "Agence test", "published": "2024-03-02", "text": "Le ministre des Transports est suspecté d'avoir détourné des fonds publics, selon le parquet."}
            """);
        await bot.SyncAsync();

        var retrieval = await bot.Retriever.RetrieveAsync("Quel ministre est soupçonné d'avoir détourné des fonds ?", null, TestContext.Current.CancellationToken);

        Assert.Equal("fonds", retrieval.Passages[0].ArticleId);
        Assert.Contains(retrieval.Evidence.Concepts, c => c.Concept.Folded == "soupconne" && c.Present);
    }

    [Fact]
    public async Task The_decline_test_reads_the_shared_start_so_a_paraphrased_question_is_answered()
    {
        await using var bot = new TestBot();
        File.WriteAllText(bot.ArticlePath("panis.jsonl"), """
            {"id": "panis", "title": "La Commune et Panis", "source": "Agence test", "published": "2024-03-02", "text": "Le 5 septembre, le conseil général de la Commune confie la construction de l'hôtel à Panis, membre du comité de surveillance.\n\nLe comité de surveillance est ensuite renouvelé par un troisième arrêté."}
            """);
        await bot.SyncAsync();

        var retrieval = await bot.Retriever.RetrieveAsync("Quels constructeurs ont travaillé avec Panis ?", null, TestContext.Current.CancellationToken);
        var reply = await bot.AskAsync("Quels constructeurs ont travaillé avec Panis ?");

        Assert.Contains(retrieval.Evidence.Concepts, c => c.Concept.Folded == "constructeurs" && c.Present);
        Assert.True(retrieval.Evidence.Coverage >= new RetrievalOptions().MinCoverage, $"coverage {retrieval.Evidence.Coverage}");
        Assert.True(reply.Grounded, reply.Text);
        Assert.Contains("Panis", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_word_the_passage_lacks_is_no_missing_evidence()
    {
        await using var bot = new TestBot();
        File.WriteAllText(bot.ArticlePath("alep.jsonl"), """
            {"id": "alep", "title": "Alep sous les bombes", "source": "Agence test", "published": "2024-03-02", "text": "L'aviation russe a bombardé les quartiers est d'Alep, selon des témoins sur place."}
            """);
        await bot.SyncAsync();

        // "pendant" and "contre" are searched, but the question's topic is what the evidence test weighs.
        var retrieval = await bot.Retriever.RetrieveAsync("Qui a bombardé Alep pendant la nuit contre les rebelles ?", null, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(retrieval.Evidence.Concepts, c => c.Concept.Folded is "pendant" or "contre");
        Assert.Contains(retrieval.Evidence.Concepts, c => c.Concept.Folded == "bombarde" && c.Present);
        Assert.Contains(retrieval.Evidence.Concepts, c => c.Concept.Folded == "nuit" && !c.Present);
    }
}
