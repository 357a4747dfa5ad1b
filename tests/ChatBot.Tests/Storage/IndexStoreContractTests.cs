using System.Globalization;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Memory;
using ChatBot.Core.Digest;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Storage.Postgres;
using ChatBot.Storage.Sqlite;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Storage;

/// <summary>
/// The store contract, run unchanged against every implementation: the embedded SQLite file and a real PostgreSQL
/// server. Everything the bot relies on (keyword and vector search, atomic batches, the embedder guard, listings, term
/// statistics, the digest ledger, conversations, feedback) is checked through the interfaces only.
/// </summary>
public abstract class IndexStoreContractTests : IAsyncLifetime
{
    private const string Embedder = "test/unit";
    private readonly List<IIndexStore> _opened = [];

    protected IIndexStore Store { get; private set; } = null!;

    /// <summary>A new store object over this test's index (the same index every call).</summary>
    protected abstract IIndexStore NewStore();

    protected virtual ValueTask PrepareAsync() => ValueTask.CompletedTask;

    /// <summary>The question log kept in the same database as <paramref name="store"/>.</summary>
    protected abstract IQuestionLog QuestionLog(IIndexStore store);

    /// <summary>The digest ledger, inbox, conversations and feedback kept in the same database as <paramref name="store"/>.</summary>
    protected abstract (IDigestLedger Ledger, ChatBot.Core.Conversation.Inbox.IInboxStore Inbox, IConversationStore Conversations, IFeedbackStore Feedback) Rooms(IIndexStore store);

    protected virtual ValueTask CleanUpAsync() => ValueTask.CompletedTask;

    /// <summary>Runs SQL on the store's database directly, as nothing the store is told about (a change behind its back).</summary>
    protected abstract Task ExecuteBehindAsync(string sql);

    public async ValueTask InitializeAsync()
    {
        await PrepareAsync();
        Store = await OpenAsync(Embedder);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
            await store.DisposeAsync();
        await CleanUpAsync();
        GC.SuppressFinalize(this);
    }

    private async Task<IIndexStore> OpenAsync(string embedder)
    {
        var store = NewStore();
        _opened.Add(store);
        await store.OpenAsync(embedder, 3, Ct);
        return store;
    }

    private static float[] Normalise(params float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static ChunkRecord Chunk(string key, string text, params float[] vector) => new()
    {
        Key = key,
        ArticleId = key.Split('#')[0],
        Ordinal = int.Parse(key.Split('#')[1], CultureInfo.InvariantCulture),
        Title = "Titre",
        Text = text,
        End = text.Length,
        Embedding = Normalise(vector),
    };

    private static Article Article(string id, string title, DateOnly? published = null, string text = "texte") =>
        new(id, title, "Reuters", published, null, id + ".txt", text, "hash-" + text.GetHashCode(StringComparison.Ordinal).ToString(CultureInfo.InvariantCulture))
        {
            IngestedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            UpdatedAt = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero),
        };

    private static IndexChanges Update(Article article, params ChunkRecord[] chunks)
    {
        var changes = new IndexChanges();
        changes.Updates.Add(new ArticleUpdate(article, chunks));
        changes.Files[article.Path] = "fp-" + article.ContentHash;
        return changes;
    }

    private Task<List<string>> KeysFoundAsync(params string[] keywords) => Store.KeywordKeysAsync(string.Join(' ', keywords), 10, Ct);

    [Fact]
    public async Task Counts_are_counted_again_only_once_the_index_changed()
    {
        await Store.PutChunksAsync([Chunk("a#0", "Moscou.", 1, 0, 0), Chunk("b#0", "Téhéran.", 0, 1, 0)], Ct);
        Assert.Equal(new IndexCounts(2, 2), await Store.GetCountsAsync(Ct));

        // Every decline names the article count: it is not counted again while the index stays as it was...
        await ExecuteBehindAsync("DELETE FROM chunks WHERE key = 'b#0'");
        Assert.Equal(new IndexCounts(2, 2), await Store.GetCountsAsync(Ct));

        // ...and is counted afresh once it changed.
        await Store.PutChunksAsync(Chunk("c#0", "Bakou.", 0, 0, 1), Ct);
        Assert.Equal(new IndexCounts(3, 2), await Store.GetCountsAsync(Ct));
    }

    [Fact]
    public async Task A_chunk_is_stored_with_its_vector_replaced_with_its_article_and_gone_with_it()
    {
        await Store.PutChunksAsync(Chunk("a#0", "Les sanctions visent Moscou.", 1, 0, 0), Ct);
        await Store.PutChunksAsync(Chunk("a#0", "Les sanctions visent Téhéran.", 1, 0, 0), Ct);

        var stored = Assert.Single(await Store.ExportArticleChunksAsync("a", Ct));
        Assert.Equal("Les sanctions visent Téhéran.", stored.Text);
        Assert.Equal(Normalise(1, 0, 0), stored.Embedding.ToArray());
        Assert.Equal(1, (await Store.GetCountsAsync(Ct)).Chunks);

        await Store.DeleteArticleAsync("a", Ct);
        Assert.Empty(await Store.ExportArticleChunksAsync("a", Ct));
        Assert.Empty(await Store.NearestKeysAsync([1f, 0, 0], 3, Ct));
    }

    [Fact]
    public async Task Articles_come_with_their_chunks_in_order_in_one_read_and_missing_ones_are_left_out()
    {
        await Store.ApplyAsync(Update(Article("a", "Premier", text: "un deux"), Chunk("a#1", "deux", 0, 1, 0), Chunk("a#0", "un", 1, 0, 0)), Ct);
        await Store.ApplyAsync(Update(Article("b", "Second", text: "trois"), Chunk("b#0", "trois", 0, 0, 1)), Ct);

        var read = await Store.GetArticlesWithChunksAsync(["a", "b", "absent"], Ct);

        Assert.Equal(["a", "b"], read.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Premier", read["a"].Article.Title);
        Assert.Equal("un deux", read["a"].Article.Text);
        Assert.Equal(["a#0", "a#1"], read["a"].Chunks.Select(c => c.Key));
        Assert.Equal(["b#0"], read["b"].Chunks.Select(c => c.Key));
        Assert.True(read["a"].Chunks.All(c => c.Embedding.IsEmpty));
        Assert.Empty(await Store.GetArticlesWithChunksAsync([], Ct));
    }

    [Fact]
    public async Task Vector_search_ranks_by_cosine()
    {
        await Store.PutChunksAsync([Chunk("a#0", "un", 1, 0, 0), Chunk("b#0", "deux", 0.9f, 0.1f, 0), Chunk("c#0", "trois", 0, 0, 1)], Ct);

        var all = await Store.NearestKeysAsync([1f, 0, 0], 3, Ct);

        Assert.Equal(["a#0", "b#0", "c#0"], all.Select(r => r.Key));
        Assert.Equal(1.0, all[0].Score, 5);
    }

    [Fact]
    public async Task Keyword_search_finds_what_the_vectors_miss()
    {
        await Store.PutChunksAsync([
            Chunk("a#0", "Le porte-parole a parlé de la météo.", 1, 0, 0),
            Chunk("b#0", "Les batteries antiaériennes S-300 ont été livrées.", 0, 1, 0),
            Chunk("c#0", "Un texte sans rapport.", 0, 0, 1),
        ], Ct);

        var nearest = await Store.NearestKeysAsync([1f, 0, 0], 1, Ct);
        var keywords = await KeysFoundAsync("batteries", "antiaériennes");

        Assert.Equal("a#0", Assert.Single(nearest).Key);
        Assert.Equal("b#0", keywords[0]);
    }

    [Fact]
    public async Task Keyword_search_matches_across_accents_case_plurals_and_elisions()
    {
        await Store.PutChunksAsync([
            Chunk("a#0", "L'Iran a livré des drones aux Houthis.", 1, 0, 0),
            Chunk("b#0", "Rien à voir ici.", 0, 1, 0),
            Chunk("c#0", "Visite à Téhéran du ministre.", 0, 1, 0),
        ], Ct);

        var drones = await Store.KeywordKeysAsync("IRAN drone livre", 1, Ct);
        var teheran = await Store.KeywordKeysAsync("teheran", 1, Ct);

        Assert.Equal("a#0", Assert.Single(drones));
        Assert.Equal("c#0", Assert.Single(teheran));
    }

    [Fact]
    public async Task Keyword_search_ranks_rare_terms_above_common_ones()
    {
        await Store.PutChunksAsync([
            Chunk("a#0", "La Russie et l'Iran. La Russie encore.", 0, 1, 0),
            Chunk("b#0", "La Russie a signé un accord sur le gaz.", 0, 1, 0),
            Chunk("c#0", "La Russie parle.", 0, 1, 0),
            Chunk("d#0", "Rien.", 0, 1, 0),
        ], Ct);

        var keys = await KeysFoundAsync("russie", "gaz");

        Assert.Equal("b#0", keys[0]);
        Assert.DoesNotContain("d#0", keys.Take(3));
    }

    [Fact]
    public async Task Vectors_of_the_wrong_dimension_are_refused_before_anything_is_written()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutChunksAsync(Chunk("a#0", "x", 1, 0), Ct));
        var bad = Update(Article("a", "A"), Chunk("a#0", "un", 1, 0, 0), Chunk("a#1", "deux", 1, 0));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ApplyAsync(bad, Ct));

        Assert.Equal(new IndexCounts(0, 0), await Store.GetCountsAsync(Ct));
        Assert.Empty(await Store.GetFileFingerprintsAsync(Ct));
    }

    [Fact]
    public async Task Term_statistics_count_chunks_per_analysed_term()
    {
        await Store.PutChunksAsync([Chunk("a#0", "Moscou et Téhéran.", 1, 0, 0), Chunk("b#0", "Moscou seule.", 0, 1, 0)], Ct);

        var lexical = Store.Lexical;
        var before = (lexical.Count, lexical.DocumentFrequency("moscou"), lexical.DocumentFrequency("teheran"), lexical.DocumentFrequency("brasilia"));
        await Store.DeleteArticleAsync("b", Ct);

        Assert.Equal((2, 2, 1, 0), before);
        Assert.Equal((1, 1), (lexical.Count, lexical.DocumentFrequency("moscou")));
    }

    [Fact]
    public async Task A_new_version_of_an_article_replaces_all_its_chunks_and_a_deleted_one_leaves_nothing()
    {
        await Store.ApplyAsync(Update(Article("a", "Ancien", text: "v1"), Chunk("a#0", "Le pétrole russe.", 1, 0, 0), Chunk("a#1", "Le blé ukrainien.", 0, 1, 0)), Ct);
        await Store.ApplyAsync(Update(Article("a", "Nouveau", text: "v2"), Chunk("a#0", "Le gaz iranien.", 0, 0, 1)), Ct);

        Assert.Equal(["Le gaz iranien."], (await Store.GetArticleChunksAsync("a", Ct)).Select(c => c.Text));
        Assert.Equal("Nouveau", (await Store.GetArticleAsync("a", Ct))!.Title);
        Assert.Equal(new IndexCounts(1, 1), await Store.GetCountsAsync(Ct));
        Assert.DoesNotContain("a#1", await KeysFoundAsync("blé"));
        Assert.Equal("fp-" + Article("a", "Nouveau", text: "v2").ContentHash, (await Store.GetFileFingerprintsAsync(Ct))["a.txt"]);

        var delete = new IndexChanges();
        delete.DeletedArticleIds.Add("a");
        delete.Files["a.txt"] = null;
        await Store.ApplyAsync(delete, Ct);

        Assert.Equal(new IndexCounts(0, 0), await Store.GetCountsAsync(Ct));
        Assert.Null(await Store.GetArticleAsync("a", Ct));
        Assert.Empty(await Store.GetFileFingerprintsAsync(Ct));
        Assert.Empty(await KeysFoundAsync("gaz"));
    }

    [Fact]
    public async Task Articles_round_trip_and_list_newest_first_with_undated_last()
    {
        var old = Article("old", "Ancien", new DateOnly(2024, 3, 1));
        var undated = Article("undated", "Sans date");
        var recent = Article("recent", "Récent 🇮🇷 \u200f\u0645\u0631\u062d\u0628\u0627 e\u0301", new DateOnly(2025, 6, 30));
        foreach (var article in new[] { old, undated, recent })
            await Store.ApplyAsync(Update(article, Chunk(article.Id + "#0", article.Title, 1, 0, 0)), Ct);

        var all = await Store.ListArticlesAsync(Ct);
        var newest = await Store.ListNewestArticlesAsync(2, Ct);
        var read = await Store.GetArticleAsync("recent", Ct);

        Assert.Equal(["recent", "old", "undated"], all.Select(a => a.Id));
        Assert.All(all, a => Assert.Equal("", a.Text));
        Assert.Equal(["recent", "old"], newest.Select(a => a.Id));
        Assert.NotNull(read);
        Assert.Equal((recent.Title, recent.Source, recent.Published, recent.Text, recent.Path), (read.Title, read.Source, read.Published, read.Text, read.Path));
        Assert.Equal(new ArticleState(recent.ContentHash, recent.Path), (await Store.GetArticleStatesAsync(Ct))["recent"]);
        // The dates alone, for dated questions: every article, undated ones as null.
        var dates = await Store.GetPublishedDatesAsync(Ct);
        Assert.Equal(3, dates.Count);
        Assert.Equal((old.Published, recent.Published, (DateOnly?)null), (dates["old"], dates["recent"], dates["undated"]));
    }

    [Fact]
    public async Task The_whole_listing_is_in_the_same_order_as_the_newest_listing_with_ties_by_title_then_id()
    {
        // Same dates, titles alike but for case, accents, a letter past U+FFFF against one in U+E000–U+FFFF, ids alike.
        var titles = new[] { "Iran", "iran", "Îran", "Iran 🇮🇷", "Iran \uFF01", "Iran \uE000", "Iran 𝔸", "Iran a", "Iran" };
        var dates = new DateOnly?[] { new DateOnly(2025, 6, 30), null, new DateOnly(2024, 1, 2), new DateOnly(2025, 6, 30) };
        var articles = Enumerable.Range(0, 36).Select(i => Article($"a{35 - i:00}{(i % 3 == 0 ? "é" : "")}", titles[i % titles.Length], dates[i % dates.Length])).ToList();
        var changes = new IndexChanges();
        foreach (var article in articles)
            changes.Updates.Add(new ArticleUpdate(article, [Chunk(article.Id + "#0", "texte", 1, 0, 0)]));
        await Store.ApplyAsync(changes, Ct);

        var all = await Store.ListArticlesAsync(Ct);
        var newest = await Store.ListNewestArticlesAsync(articles.Count, Ct);

        Assert.Equal(newest.Select(a => a.Id), all.Select(a => a.Id));
        Assert.Equal(articles.Count, all.Count);
        Assert.Equal(articles.Count(a => a.Published is null), all.Reverse().TakeWhile(a => a.Published is null).Count());
    }

    [Fact]
    public async Task Ingestion_stamps_first_seen_time_and_a_copy_between_stores_keeps_it()
    {
        await Store.ApplyAsync(Update(Article("a", "A"), Chunk("a#0", "un", 1, 0, 0)), Ct);
        var copy = new IndexChanges { KeepTimestamps = true };
        copy.Updates.Add(new ArticleUpdate(Article("b", "B"), [Chunk("b#0", "deux", 0, 1, 0)]));
        await Store.ApplyAsync(copy, Ct);

        var stamped = (await Store.GetArticleAsync("a", Ct))!;
        var copied = (await Store.GetArticleAsync("b", Ct))!;

        Assert.True(stamped.IngestedAt > DateTimeOffset.UtcNow.AddMinutes(-5), $"{stamped.IngestedAt}");
        Assert.Equal(Article("b", "B").IngestedAt, copied.IngestedAt);
        Assert.Equal(Article("b", "B").UpdatedAt, copied.UpdatedAt);
    }

    [Fact]
    public async Task Reopening_keeps_everything_and_search_works_at_once()
    {
        await Store.ApplyAsync(Update(Article("a", "A"), Chunk("a#0", "Le gaz iranien.", 0, 0, 1)), Ct);
        await Store.DisposeAsync();
        _opened.Remove(Store);

        var reopened = NewStore();
        _opened.Add(reopened);
        var reset = await reopened.OpenAsync(Embedder, 3, Ct);
        var hits = await reopened.NearestKeysAsync([0f, 0, 1], 1, Ct);

        Assert.False(reset);
        Assert.Equal("a#0", Assert.Single(hits).Key);
        Assert.Single(await reopened.GetFileFingerprintsAsync(Ct));
    }

    [Fact]
    public async Task Another_embedder_drops_every_chunk_and_marks_every_article_for_re_embedding()
    {
        await Store.ApplyAsync(Update(Article("a", "A"), Chunk("a#0", "Le gaz iranien.", 0, 0, 1)), Ct);

        var other = NewStore();
        _opened.Add(other);
        var reset = await other.OpenAsync("other/embedder", 3, Ct);

        Assert.True(reset);
        Assert.Equal(new IndexCounts(1, 0), await other.GetCountsAsync(Ct));
        Assert.Empty(await other.GetFileFingerprintsAsync(Ct));
        Assert.Equal("", (await other.GetArticleStatesAsync(Ct))["a"].ContentHash);
        Assert.Empty(await other.NearestKeysAsync([0f, 0, 1], 1, Ct));
    }

    [Fact]
    public async Task Clearing_the_chunks_makes_every_article_be_embedded_again()
    {
        await Store.ApplyAsync(Update(Article("a", "A"), Chunk("a#0", "Le gaz iranien.", 0, 0, 1)), Ct);

        await Store.ClearChunksAsync(Ct);

        Assert.Equal(0, (await Store.GetCountsAsync(Ct)).Chunks);
        Assert.Empty(await Store.GetFileFingerprintsAsync(Ct));
        Assert.Empty(await Store.NearestKeysAsync([0f, 0, 1], 1, Ct));
    }

    [Fact]
    public async Task The_digest_ledger_claims_a_period_once_and_retries_a_failed_one_when_due()
    {
        var ledger = Rooms(Store).Ledger;
        var period = new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero);
        var now = period.AddMinutes(1);

        Assert.True(await ledger.TryCreateAsync("telegram:1", period, DigestState.Claimed, now, Ct));
        Assert.False(await ledger.TryCreateAsync("telegram:1", period, DigestState.Claimed, now, Ct));
        await ledger.MarkAsync("telegram:1", period, DigestState.Failed, now, now.AddMinutes(10), Ct);
        Assert.False(await ledger.TryReclaimAsync("telegram:1", period, now.AddMinutes(5), Ct));
        Assert.True(await ledger.TryReclaimAsync("telegram:1", period, now.AddMinutes(10), Ct));
        Assert.False(await ledger.TryReclaimAsync("telegram:1", period, now.AddMinutes(11), Ct));
        await ledger.MarkAsync("telegram:1", period, DigestState.Posted, now.AddMinutes(11), null, Ct);
        Assert.True(await ledger.TryCreateAsync("telegram:1", period.AddDays(1), DigestState.Claimed, now, Ct));

        var entry = await ledger.GetAsync("telegram:1", period, Ct);
        var last = await ledger.LastDeliveredAsync("telegram:1", Ct);

        Assert.Equal((DigestState.Posted, 1, (DateTimeOffset?)null), (entry!.State, entry.Attempts, entry.NextAttemptAt));
        Assert.Equal(period, last!.Period);
        Assert.Null(await ledger.LastDeliveredAsync("telegram:2", Ct));
    }

    [Fact]
    public async Task Two_holders_racing_for_a_period_get_it_once()
    {
        var other = NewStore();
        _opened.Add(other);
        await other.OpenAsync(Embedder, 3, Ct);
        var period = new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero);

        var wins = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Rooms(i % 2 == 0 ? Store : other).Ledger.TryCreateAsync("discord:9", period, DigestState.Claimed, period, Ct)));

        Assert.Equal(1, wins.Count(w => w));
    }

    [Fact]
    public async Task The_inbox_keeps_an_update_until_it_is_done_and_ignores_a_second_delivery()
    {
        var inbox = Rooms(Store).Inbox;
        var at = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        ChatBot.Core.Conversation.Inbox.InboxItem Item(string key, int minutes) => new("telegram", key, "Message", "{\"update_id\":" + key + "}", at.AddMinutes(minutes));

        Assert.True(await inbox.AcceptAsync(Item("101", 0), "replica-a", Ct));
        Assert.True(await inbox.AcceptAsync(Item("102", 1), "replica-a", Ct));
        Assert.False(await inbox.AcceptAsync(Item("101", 2), "replica-a", Ct)); // redelivered: already known
        Assert.True(await inbox.AcceptAsync(new ChatBot.Core.Conversation.Inbox.InboxItem("discord", "101", "MESSAGE_CREATE", "{}", at), "replica-a", Ct)); // keys are per platform
        await inbox.CompleteAsync("telegram", "102", at.AddMinutes(3), Ct);

        var pending = await inbox.ClaimPendingAsync("telegram", "replica-a", at, TimeSpan.FromMinutes(2), Ct);
        Assert.Equal(["101"], pending.Select(p => p.Key));
        Assert.Equal("{\"update_id\":101}", pending[0].Payload);
        Assert.Equal(at, pending[0].ReceivedAt);
        Assert.False(await inbox.AcceptAsync(Item("102", 4), "replica-a", Ct)); // done, and still remembered

        await inbox.CompleteAsync("telegram", "101", at.AddMinutes(5), Ct);
        Assert.Empty(await inbox.ClaimPendingAsync("telegram", "replica-a", at, TimeSpan.FromMinutes(2), Ct));
        Assert.Equal(2, await inbox.PruneAsync(at.AddMinutes(10), Ct));
        Assert.True(await inbox.AcceptAsync(Item("101", 11), "replica-a", Ct)); // forgotten after the memory period
    }

    [Fact]
    public async Task A_parked_item_counts_as_done_keeps_its_reason_and_a_claim_counts_attempts()
    {
        var inbox = Rooms(Store).Inbox;
        var at = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        await inbox.AcceptAsync(new("telegram", "201", "Message", "{}", at), "replica-a", Ct);
        await inbox.AcceptAsync(new("telegram", "202", "Message", "{}", at), "replica-a", Ct);

        var first = await inbox.ClaimPendingAsync("telegram", "replica-a", at, TimeSpan.FromMinutes(2), Ct);
        var second = await inbox.ClaimPendingAsync("telegram", "replica-a", at, TimeSpan.FromMinutes(2), Ct);
        await inbox.ParkAsync(new("telegram", "201", "Message", "{}", at), "replica-a", "a message without a chat", at.AddMinutes(1), Ct);
        await inbox.ParkAsync(new("telegram", "203", "Unreadable", "{\"update_id\":203}", at), "replica-a", "the update cannot be read", at.AddMinutes(2), Ct); // never stored before

        Assert.Equal([1, 1], first.Select(i => i.Attempts));
        Assert.Equal([2, 2], second.Select(i => i.Attempts));
        Assert.Equal(["202"], (await inbox.ClaimPendingAsync("telegram", "replica-a", at, TimeSpan.FromMinutes(2), Ct)).Select(i => i.Key));
        Assert.False(await inbox.AcceptAsync(new("telegram", "203", "Message", "{}", at), "replica-a", Ct)); // a redelivery stays ignored
        var parked = await inbox.ParkedAsync(at, Ct);
        Assert.Equal((2, "the update cannot be read"), (parked.Count, parked.LastReason));
        Assert.Equal(0, (await inbox.ParkedAsync(at.AddMinutes(3), Ct)).Count);
    }

    [Fact]
    public async Task Conversations_are_found_by_any_of_their_messages_and_purged_by_age()
    {
        var conversations = Rooms(Store).Conversations;
        var at = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        IReadOnlyList<ChatTurn> turns = [new ChatTurn("Qui a signé ?", "Moscou et Téhéran [1]")];

        await conversations.SaveAsync("telegram", "-100", ["11", "12"], turns, at, Ct);
        await conversations.SaveAsync("telegram", "-100", ["20"], turns, at.AddHours(2), Ct);

        var loaded = await conversations.LoadAsync("telegram", "-100", "12", Ct);
        Assert.NotNull(loaded);
        Assert.Equal(("Qui a signé ?", "Moscou et Téhéran [1]"), (Assert.Single(loaded.Value.Turns).Question, loaded.Value.Turns[0].Answer));
        Assert.Equal(at, loaded.Value.At);
        Assert.Null(await conversations.LoadAsync("discord", "-100", "12", Ct));
        Assert.Single(await conversations.RecentAsync(at.AddHours(1), Ct));

        await conversations.PurgeAsync(at.AddHours(1), Ct);
        Assert.Null(await conversations.LoadAsync("telegram", "-100", "11", Ct));
        Assert.NotNull(await conversations.LoadAsync("telegram", "-100", "20", Ct));
    }

    [Fact]
    public async Task The_small_stores_keep_an_instant_given_in_any_offset()
    {
        // Paris in winter: the digest's periods and the bot's clock come with an offset; every store keeps the instant.
        var paris = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(1));
        var (ledger, inbox, conversations, feedback) = Rooms(Store);

        Assert.True(await ledger.TryCreateAsync("telegram:1", paris, DigestState.Claimed, paris, Ct));
        await ledger.MarkAsync("telegram:1", paris, DigestState.Failed, paris, paris.AddMinutes(5), Ct);
        var entry = await ledger.GetAsync("telegram:1", paris, Ct);
        Assert.NotNull(entry);
        Assert.Equal((paris, paris, paris.AddMinutes(5), 1), (entry.Period, entry.UpdatedAt, entry.NextAttemptAt, entry.Attempts));

        Assert.True(await inbox.AcceptAsync(new InboxItem("telegram", "u1", "update", "{}", paris), "me", Ct));
        Assert.Equal(paris, Assert.Single(await inbox.ClaimPendingAsync("telegram", "me", paris, TimeSpan.FromMinutes(2), Ct)).ReceivedAt);
        await inbox.ParkAsync(new InboxItem("telegram", "u2", "update", "{", paris), "me", "unreadable", paris, Ct);
        Assert.Equal(paris, (await inbox.ParkedAsync(paris.AddHours(-1), Ct)).LastAt);

        await conversations.SaveAsync("telegram", "-1", ["m"], [new ChatTurn("Q ?", "R.")], paris, Ct);
        Assert.Equal(paris, (await conversations.LoadAsync("telegram", "-1", "m", Ct))?.At);

        await feedback.SaveVoteAsync(new FeedbackVote("telegram", "-1", "m", "u", 1, null, null, ["x"], paris), Ct);
        Assert.Equal(paris, Assert.Single(await feedback.VotesAsync(Ct)).At);

        await QuestionLog(Store).RecordAsync(new LoggedQuestion(paris, "telegram", 1, false, null, []), Ct);
        Assert.Equal(paris, Assert.Single(await QuestionLog(Store).ReadAsync(paris.AddMinutes(-1), 10, Ct)).At);
    }

    [Fact]
    public async Task A_second_vote_replaces_the_first_and_old_feedback_text_is_forgotten()
    {
        var feedback = Rooms(Store).Feedback;
        var at = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        await feedback.SaveVoteAsync(new FeedbackVote("discord", "5", "m1", "u1", 1, "Question ?", "Réponse", ["a", "b"], at), Ct);
        await feedback.SaveVoteAsync(new FeedbackVote("discord", "5", "m1", "u1", -1, "Question ?", "Réponse", ["a", "b"], at), Ct);
        await feedback.SaveVoteAsync(new FeedbackVote("discord", "5", "m1", "u2", 1, null, null, [], at.AddDays(2)), Ct);

        await feedback.ForgetFeedbackTextAsync(at.AddDays(1), Ct);
        var votes = (await feedback.VotesAsync(Ct)).OrderBy(v => v.UserId, StringComparer.Ordinal).ToList();

        Assert.Equal(2, votes.Count);
        Assert.Equal((-1, (string?)null, (string?)null), (votes[0].Vote, votes[0].Question, votes[0].Answer));
        Assert.Equal(["a", "b"], votes[0].Citations);
        Assert.Equal(at.AddDays(2), votes[1].At);
    }

    [Fact]
    public async Task The_question_log_keeps_what_was_asked_newest_first_and_forgets_old_text()
    {
        var log = QuestionLog(Store);
        var at = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        await log.RecordAsync(new LoggedQuestion(at, "telegram", 12.5, false, "Qui est Choïgou ?", ["a1", "a2"]), Ct);
        await log.RecordAsync(new LoggedQuestion(at.AddHours(1), "discord", 30, true, "Quel est le <b>prix</b> ?", []), Ct);
        await log.RecordAsync(new LoggedQuestion(at.AddDays(-40), "telegram", 5, false, null, ["a1"]), Ct);

        var recent = await log.ReadAsync(at.AddDays(-30), 100, Ct);
        await log.ForgetTextAsync(at.AddMinutes(30), Ct);
        var after = await log.ReadAsync(at.AddDays(-30), 100, Ct);

        Assert.Equal([at.AddHours(1), at], recent.Select(q => q.At));
        Assert.Equal(("discord", 30.0, true, "Quel est le <b>prix</b> ?"), (recent[0].Platform, recent[0].LatencyMs, recent[0].Declined, recent[0].Question));
        Assert.Empty(recent[0].Cited);
        Assert.Equal(["a1", "a2"], recent[1].Cited);
        Assert.Single(await log.ReadAsync(at.AddDays(-30), 1, Ct));
        Assert.Equal([(string?)"Quel est le <b>prix</b> ?", null], after.Select(q => q.Question));
    }
}

public sealed class SqliteStoreContractTests : IndexStoreContractTests
{
    private readonly TempFolder _folder = new();

    protected override IIndexStore NewStore() =>
        new SqliteIndexStore(_folder.Combine("index.db"), TextAnalyzer.Shared, TimeProvider.System);

    protected override IQuestionLog QuestionLog(IIndexStore store) => new SqliteQuestionLog(((SqliteIndexStore)store).Database);

    protected override (IDigestLedger Ledger, ChatBot.Core.Conversation.Inbox.IInboxStore Inbox, IConversationStore Conversations, IFeedbackStore Feedback) Rooms(IIndexStore store)
    {
        var sqlite = ((SqliteIndexStore)store).Database; // the small stores depend on the database, not on the index
        return (new SqliteDigestLedger(sqlite), new SqliteInboxStore(sqlite), new SqliteConversationStore(sqlite), new SqliteFeedbackStore(sqlite));
    }

    protected override async Task ExecuteBehindAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder.Combine("index.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    protected override ValueTask CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresStoreContractTests : IndexStoreContractTests
{
    private TestDatabase? _database;

    protected override async ValueTask PrepareAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    protected override IIndexStore NewStore() =>
        new PostgresIndexStore(new StoreOptions { Provider = "Postgres", ConnectionString = _database!.ConnectionString }, TextAnalyzer.Shared, TimeProvider.System);

    protected override IQuestionLog QuestionLog(IIndexStore store) => new PostgresQuestionLog(((PostgresIndexStore)store).Database);

    protected override (IDigestLedger Ledger, ChatBot.Core.Conversation.Inbox.IInboxStore Inbox, IConversationStore Conversations, IFeedbackStore Feedback) Rooms(IIndexStore store)
    {
        var postgres = ((PostgresIndexStore)store).Database; // the small stores depend on the database, not on the index
        return (new PostgresDigestLedger(postgres), new PostgresInboxStore(postgres), new PostgresConversationStore(postgres), new PostgresFeedbackStore(postgres));
    }

    protected override Task ExecuteBehindAsync(string sql) => _database!.ExecuteAsync(sql);

    protected override async ValueTask CleanUpAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_replica_replays_its_own_unfinished_updates_and_takes_over_only_those_another_replica_left_long_ago()
    {
        var inbox = Rooms(Store).Inbox;
        var at = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        await inbox.AcceptAsync(new("telegram", "1", "Message", "{}", at), "replica-a", Ct);
        await inbox.AcceptAsync(new("telegram", "2", "Message", "{}", at.AddMinutes(10)), "replica-b", Ct); // b is answering it now
        await inbox.AcceptAsync(new("telegram", "3", "Message", "{}", at.AddMinutes(1)), "replica-c", Ct); // c is gone

        var claimed = await inbox.ClaimPendingAsync("telegram", "replica-a", at.AddMinutes(5), TimeSpan.FromMinutes(2), Ct);

        Assert.Equal(["1", "3"], claimed.Select(c => c.Key));
        Assert.Empty(await inbox.ClaimPendingAsync("telegram", "replica-c", at.AddMinutes(6), TimeSpan.FromMinutes(2), Ct)); // "3" is a's now
    }
}
