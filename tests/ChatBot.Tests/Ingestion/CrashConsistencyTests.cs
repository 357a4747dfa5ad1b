using System.Diagnostics;
using System.Text.Json.Nodes;
using ChatBot.Cli;
using ChatBot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ChatBot.Tests.Ingestion;

/// <summary>The real executable killed (SIGKILL) in the middle of an ingest, then started again on the same files.</summary>
public sealed class CrashConsistencyTests
{
    private const string Marker = "Ce paragraphe a été révisé.";

    [Fact]
    public async Task Killing_the_process_mid_ingest_leaves_every_article_at_its_old_or_its_new_version()
    {
        using var root = new TempFolder();
        var file = root.Combine("corpus", "piaf.jsonl");
        var lines = File.ReadAllLines(Fixture.Eval("piaf-corpus.jsonl"));
        await BotFolder.IndexedAsync(root, _ => File.WriteAllLines(file, lines));

        // Every article gets a new last sentence; the ingest that applies it is killed after its first progress line.
        File.WriteAllLines(file, lines.Select(line =>
        {
            var article = JsonNode.Parse(line)!.AsObject();
            article["text"] = article["text"]!.GetValue<string>() + " " + Marker;
            return article.ToJsonString();
        }));
        await KillDuringIndexAsync(root.Path);

        var (old, revised) = CheckConsistency(root.Combine("data", "chatbot.db"));
        Assert.True(old > 0 && revised > 0, $"the kill came mid-ingest: {old} old, {revised} revised");
        Assert.Equal(lines.Length, old + revised);

        // Started again, it finishes the job.
        Assert.Equal(0, await new CliApp(TextWriter.Null, TextWriter.Null, root.Path).RunAsync(["index"]));
        SqliteConnection.ClearAllPools();
        Assert.Equal((0, lines.Length), CheckConsistency(root.Combine("data", "chatbot.db")));
        SqliteConnection.ClearAllPools();
    }

    private static async Task KillDuringIndexAsync(string contentRoot)
    {
        using var process = Process.Start(BotProcess.StartInfo(contentRoot, "index"))!;
        process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken).ConfigureAwait(false).GetAwaiter();
        var seen = new List<string>();
        while (await process.StandardError.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            seen.Add(line);
            if (line.Contains("Indexing: ", StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: true);
                break;
            }
        }
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode != 0, "killed before the end: " + string.Join("\n", seen));
    }

    /// <summary>
    /// Every article's chunks are pieces of its stored text, in order, all of one version, with their FTS rows; returns
    /// how many articles are at the old and at the revised version.
    /// </summary>
    private static (int Old, int Revised) CheckConsistency(string database)
    {
        // Read-write: after a kill the WAL needs recovery, which a read-only connection cannot do (SQLITE_READONLY_RECOVERY).
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        var articles = new Dictionary<string, string>();
        using (var command = new SqliteCommand("SELECT id, text FROM articles", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                articles[reader.GetString(0)] = reader.GetString(1);
        }
        var chunks = new Dictionary<string, List<(int Start, int End, string Text)>>();
        using (var command = new SqliteCommand("SELECT article_id, start_offset, end_offset, text FROM chunks ORDER BY article_id, ordinal", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                chunks.TryAdd(id, []);
                chunks[id].Add((reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3)));
            }
        }
        Assert.Equal(articles.Keys.Order(), chunks.Keys.Order());
        var (old, revised) = (0, 0);
        foreach (var (id, text) in articles)
        {
            var pieces = chunks[id];
            Assert.All(pieces, p => Assert.Equal(text[p.Start..p.End], p.Text));
            Assert.Equal(text.Length, pieces[^1].End);
            if (text.EndsWith(Marker, StringComparison.Ordinal))
                revised++;
            else
                old++;
        }
        return (old, revised);
    }
}
