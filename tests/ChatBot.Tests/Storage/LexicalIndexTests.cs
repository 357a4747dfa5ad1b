using ChatBot.Core.Storage;
using ChatBot.Core.Text;
using ChatBot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ChatBot.Tests.Storage;

/// <summary>The in-memory BM25 index ranks as SQLite FTS5's <c>bm25()</c> does, and forgets removed chunks.</summary>
public sealed class LexicalIndexTests
{
    [Fact]
    public void It_ranks_like_fts5_bm25_on_real_text_after_removals_and_a_sweep()
    {
        using var folder = new TempFolder();
        var texts = Fixture.SeedFiles.Select(File.ReadAllText)
            .SelectMany(t => t.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length > 80)
            .ToList();
        using var index = new LexicalIndex();
        using var connection = new SqliteConnection($"Data Source={folder.Combine("fts.db")}");
        connection.Open();
        Execute(connection, "CREATE VIRTUAL TABLE fts USING fts5 (terms, tokenize = 'unicode61 remove_diacritics 2')");
        for (var i = 0; i < texts.Count; i++)
        {
            var terms = TextAnalyzer.Shared.Terms(texts[i]);
            index.Add(i, terms);
            Execute(connection, "INSERT INTO fts (rowid, terms) VALUES ($id, $terms)", ("$id", i), ("$terms", string.Join(' ', terms)));
        }
        // Remove two thirds: the tombstones outnumber the live chunks, so the index sweeps them.
        for (var i = 0; i < texts.Count; i++)
        {
            if (i % 3 == 0)
                continue;
            Assert.True(index.Remove(i));
            Execute(connection, "DELETE FROM fts WHERE rowid = $id", ("$id", i));
        }

        var queries = new[] { "Poutine Iran aide militaire", "accord nucléaire signé juillet", "Khamenei succession pouvoir", "défense aérienne S-300", "gaz pétrole sanctions" };
        foreach (var query in queries)
        {
            var terms = TextAnalyzer.Shared.Terms(query);
            var expected = Fts5(connection, terms);
            var actual = index.Search(terms, 10);
            Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Id));
            Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 3));
        }
        Assert.Equal((texts.Count + 2) / 3, index.Count);
    }

    [Fact]
    public void Frequencies_follow_adds_replacements_and_removals()
    {
        using var index = new LexicalIndex();
        index.Add(1, ["moscou", "teheran"]);
        index.Add(2, ["moscou"]);
        index.Add(1, ["teheran"]); // a new version of chunk 1

        Assert.Equal((1, 1, 2), (index.DocumentFrequency("moscou"), index.DocumentFrequency("teheran"), index.Count));
        Assert.Equal([1L], index.Search(["teheran"], 5).Select(h => h.Id));

        index.Remove(2);
        Assert.Equal(0, index.DocumentFrequency("moscou"));
        Assert.Empty(index.Search(["moscou"], 5));
        index.Clear();
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Search(["teheran"], 5));
    }

    private static List<(long Id, double Score)> Fts5(SqliteConnection connection, IEnumerable<string> terms)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, -bm25(fts) FROM fts WHERE fts MATCH $q ORDER BY bm25(fts), rowid LIMIT 10";
        command.Parameters.AddWithValue("$q", string.Join(" OR ", terms.Distinct().Select(t => $"\"{t}\"")));
        var result = new List<(long, double)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            result.Add((reader.GetInt64(0), reader.GetDouble(1)));
        return result;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}
