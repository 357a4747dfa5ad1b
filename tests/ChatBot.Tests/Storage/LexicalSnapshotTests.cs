using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Ingestion;
using ChatBot.Storage.Sqlite;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Storage;

/// <summary>
/// The lexical index written beside the SQLite file and read back at the next start: the same ranking as analysing the
/// chunks again, and never trusted when the database moved on since it was written or the file is damaged.
/// </summary>
public sealed class LexicalSnapshotTests
{

    private static readonly string[] Questions =
        ["Poutine Iran aide militaire", "accord nucléaire signé juillet", "Khamenei succession pouvoir", "défense aérienne S-300", "gaz pétrole sanctions"];

    private static List<(long Id, string Title, string Text)> Paragraphs() => Fixture.SeedFiles.Select(File.ReadAllText)
        .SelectMany((t, article) => t.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length > 80).Select(p => (Article: article, Text: p)))
        .Select((p, i) => ((long)i, $"Article {p.Article}", p.Text))
        .ToList();

    private static void AssertSameRanking(LexicalIndex expected, LexicalIndex actual)
    {
        var hits = 0;
        foreach (var question in Questions)
        {
            var query = LexicalQuery.FromText(question, WordAnalysers.Shared);
            var want = expected.Search(query, 10);
            var got = actual.Search(query, 10);
            hits += want.Count;
            Assert.Equal(want.Select(h => h.Id), got.Select(h => h.Id));
            Assert.All(want.Zip(got), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 9));
        }
        Assert.True(hits >= 10, $"{hits} hits in all");
    }

    [Fact]
    public void An_index_read_back_ranks_as_the_one_written_and_keeps_taking_changes()
    {
        var paragraphs = Paragraphs();
        using var index = new LexicalIndex();
        index.AddRange(paragraphs);
        foreach (var (id, _, _) in paragraphs.Where(p => p.Id % 5 == 0))
            index.Remove(id);
        using var stream = new MemoryStream();
        index.Save(stream, position: 42);
        stream.Position = 0;

        Assert.Equal(42, LexicalIndex.ReadHeader(stream)!.Value.Position);
        stream.Position = 0;
        using var loaded = LexicalIndex.Load(stream)!;

        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(index.DocumentFrequency("teheran"), loaded.DocumentFrequency("teheran"));
        AssertSameRanking(index, loaded);
        // Both go on the same way after the load: removals, additions, a word neither had seen.
        foreach (var target in new[] { index, loaded })
        {
            target.Remove(1);
            target.Add(10_000, "Nouveau", "Un zeppelin iranien survole la Caspienne avec Poutine.");
        }
        AssertSameRanking(index, loaded);
        Assert.Equal(10_000, loaded.Search(LexicalQuery.FromText("zeppelin", WordAnalysers.Shared), 1).Single().Id);
    }

    [Fact]
    public void Lists_read_into_shared_pages_take_additions_without_touching_their_neighbours()
    {
        // A snapshot's posting lists and word lists are read into shared pages, side by side; a list that grows after
        // the load must move out first, or its new postings would overwrite the next list's. Half the paragraphs are
        // saved, the other half added to both indexes afterwards: most lists of the page grow.
        var paragraphs = Paragraphs();
        var (before, after) = (paragraphs.Take(paragraphs.Count / 2).ToList(), paragraphs.Skip(paragraphs.Count / 2).ToList());
        using var index = new LexicalIndex();
        index.AddRange(before);
        using var stream = new MemoryStream();
        index.Save(stream, position: 1);
        stream.Position = 0;
        using var loaded = LexicalIndex.Load(stream)!;
        foreach (var target in new[] { index, loaded })
        {
            target.AddRange(after);
            target.Remove(before[0].Id);
        }

        var questions = Questions.Concat(paragraphs.Where((_, i) => i % 3 == 0)
            .Select(p => string.Join(' ', p.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(12)))).ToList();
        foreach (var question in questions)
        {
            var query = LexicalQuery.FromText(question, WordAnalysers.Shared);
            var (want, got) = (index.Search(query, 20), loaded.Search(query, 20));
            Assert.Equal(want.Select(h => h.Id), got.Select(h => h.Id));
            Assert.All(want.Zip(got), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 9));
        }
        // The word lists (read from the pages as well) still count the same words.
        foreach (var word in new[] { "teheran", "poutine", "iran", "russie" })
            Assert.Equal(index.DocumentFrequency(word), loaded.DocumentFrequency(word));
        // And a snapshot of the grown index reads back the same once more.
        using var again = new MemoryStream();
        loaded.Save(again, position: 2);
        again.Position = 0;
        using var reloaded = LexicalIndex.Load(again)!;
        AssertSameRanking(index, reloaded);
    }

    [Fact]
    public void Pages_hand_out_runs_that_never_overlap_and_never_start_at_zero()
    {
        var pages = new BytePages(pageSize: 64);
        var taken = new List<(byte[] Array, int Start, int Length)>();
        foreach (var length in new[] { 5, 7, 8, 1, 30, 9, 3, 8, 8, 8 })
        {
            var (array, start) = pages.Take(length);
            taken.Add((array, start, length));
            if (length > 64 / 8)
                Assert.True(start == 0 && array.Length == length, "a run too large to share gets an array of its own");
            else
                Assert.True(start > 0 && start + length <= array.Length, $"a shared run starts after the page's first byte: {start}");
        }
        foreach (var (a, i) in taken.Select((t, i) => (t, i)))
            foreach (var b in taken.Skip(i + 1).Where(b => ReferenceEquals(a.Array, b.Array)))
                Assert.True(a.Start + a.Length <= b.Start || b.Start + b.Length <= a.Start, $"runs {a.Start}+{a.Length} and {b.Start}+{b.Length} overlap");
        Assert.True(taken.Select(t => t.Array).Distinct().Count() < taken.Count, "small runs share pages");
    }

    [Fact]
    public void A_stream_that_is_not_a_snapshot_is_refused()
    {
        using var stream = new MemoryStream("not a snapshot at all, only text"u8.ToArray());
        Assert.Null(LexicalIndex.ReadHeader(stream));
        stream.Position = 0;
        Assert.Null(LexicalIndex.Load(stream));
    }

    private static SqliteIndexStore Store(string path, CapturedLogs? logs = null) =>
        new(path, TextAnalyzer.Shared, TimeProvider.System, logger: logs is null ? null : new Microsoft.Extensions.Logging.Logger<SqliteIndexStore>(new Microsoft.Extensions.Logging.LoggerFactory([logs])));

    private static ChunkRecord Chunk(string key, string text) =>
        new() { Key = key, ArticleId = key.Split('#')[0], Title = "Titre " + key, Text = text, Embedding = new[] { 1f, 0f } };

    private static async Task<List<string>> SearchAsync(SqliteIndexStore store, string question)
    {
        var ids = store.Lexical.Search(LexicalQuery.FromText(question, WordAnalysers.Shared), 5).Select(h => h.Id).ToList();
        var chunks = await store.GetChunksAsync(ids, Ct);
        return ids.Select(id => chunks[id].Key).ToList();
    }

    [Fact]
    public async Task A_store_reopens_from_its_snapshot_and_ignores_one_the_database_has_moved_past()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("chatbot.db");
        await using (var store = Store(path))
        {
            await store.OpenAsync("e", 2, Ct);
            Assert.False(store.OpenedFromSnapshot);
            await store.PutChunksAsync(Chunk("a#0", "Les drones iraniens livrés à Moscou."), Ct);
        }
        var snapshot = path + ".lexical";
        Assert.True(File.Exists(snapshot));
        var older = File.ReadAllBytes(snapshot);

        await using (var store = Store(path))
        {
            await store.OpenAsync("e", 2, Ct);
            Assert.True(store.OpenedFromSnapshot);
            Assert.Equal(["a#0"], await SearchAsync(store, "drones"));
            await store.PutChunksAsync(Chunk("b#0", "Le gazoduc caspien reste un projet."), Ct);
        }
        // As if the process had died after that write, before writing the snapshot again.
        File.WriteAllBytes(snapshot, older);

        await using (var store = Store(path))
        {
            await store.OpenAsync("e", 2, Ct);
            Assert.False(store.OpenedFromSnapshot);
            Assert.Equal(["b#0"], await SearchAsync(store, "gazoduc"));
        }
        // A damaged file (cut short) is ignored too: the index comes from the chunks.
        File.WriteAllBytes(snapshot, File.ReadAllBytes(snapshot)[..(int)(new FileInfo(snapshot).Length / 2)]);
        await using (var store = Store(path))
        {
            await store.OpenAsync("e", 2, Ct);
            Assert.False(store.OpenedFromSnapshot);
            Assert.Equal(["a#0"], await SearchAsync(store, "drones"));
            Assert.Equal(["b#0"], await SearchAsync(store, "gazoduc"));
        }
    }

    /// <summary>A store of one chunk ("drones"), closed, so that its snapshot is on disk.</summary>
    private static async Task<(string Path, string Snapshot)> OneChunkStoreAsync(TempFolder folder)
    {
        var path = folder.Combine("chatbot.db");
        await using (var store = Store(path))
        {
            await store.OpenAsync("e", 2, Ct);
            await store.PutChunksAsync(Chunk("a#0", "Les drones iraniens livrés à Moscou."), Ct);
        }
        return (path, path + ".lexical");
    }

    [Fact]
    public async Task Every_single_flipped_byte_of_a_snapshot_is_caught_by_its_checksum_and_the_index_rebuilt_with_one_warning()
    {
        using var folder = new TempFolder();
        var (path, snapshot) = await OneChunkStoreAsync(folder);
        var sound = File.ReadAllBytes(snapshot);
        var random = new Random(7);

        // Bytes all over the file (the header, the postings, the seal): none may crash the start or slip through.
        foreach (var at in Enumerable.Range(0, 40).Select(_ => random.Next(sound.Length)).Append(0).Append(sound.Length - 1))
        {
            var damaged = (byte[])sound.Clone();
            damaged[at] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(snapshot, damaged);
            var logs = new CapturedLogs();
            await using var store = Store(path, logs);
            await store.OpenAsync("e", 2, Ct);

            Assert.False(store.OpenedFromSnapshot, $"byte {at}");
            Assert.Equal(["a#0"], await SearchAsync(store, "drones"));
            Assert.Single(logs.Entries, e => e.Message.Contains("is damaged", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_sealed_snapshot_claiming_two_billion_words_is_refused_before_it_allocates_them()
    {
        using var folder = new TempFolder();
        var (path, snapshot) = await OneChunkStoreAsync(folder);
        var bytes = File.ReadAllBytes(snapshot);
        // The word count follows the header (magic, format, analysis, position); sealed again, as a bug might write it.
        int at;
        using (var reader = new BinaryReader(new MemoryStream(bytes)))
        {
            reader.ReadInt32();
            reader.ReadInt32();
            reader.ReadString();
            reader.ReadInt64();
            at = (int)reader.BaseStream.Position;
        }
        BitConverter.TryWriteBytes(bytes.AsSpan(at), int.MaxValue);
        System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, bytes.Length - 40)).CopyTo(bytes, bytes.Length - 40);
        File.WriteAllBytes(snapshot, bytes);
        var logs = new CapturedLogs();

        await using var reopened = Store(path, logs);
        await reopened.OpenAsync("e", 2, Ct);

        Assert.False(reopened.OpenedFromSnapshot);
        Assert.Equal(["a#0"], await SearchAsync(reopened, "drones"));
        Assert.Single(logs.Entries, e => e.Message.Contains("is damaged", StringComparison.Ordinal) && e.Message.Contains("does not fit", StringComparison.Ordinal));
    }
}
