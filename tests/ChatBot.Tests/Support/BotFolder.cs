using ChatBot.Cli;
using Microsoft.Data.Sqlite;

namespace ChatBot.Tests.Support;

/// <summary>A content root for the real executable: a corpus folder, an appsettings.json pointing at it, and an index built by the <c>index</c> command.</summary>
public static class BotFolder
{
    public const string Database = "data/chatbot.db";

    /// <summary>Fills <paramref name="root"/>'s corpus (the seed articles unless <paramref name="fill"/> writes others) and indexes it; returns the index file's path.</summary>
    public static async Task<string> IndexedAsync(TempFolder root, Action<string>? fill = null)
    {
        var corpus = root.Combine("corpus");
        Directory.CreateDirectory(corpus);
        if (fill is null)
        {
            foreach (var file in Fixture.SeedFiles)
                File.Copy(file, Path.Combine(corpus, Path.GetFileName(file)));
        }
        else
        {
            fill(corpus);
        }
        File.WriteAllText(root.Combine("appsettings.json"), $$"""{ "ChatBot": { "Corpus": { "Path": "corpus" }, "Store": { "Path": "{{Database}}" } } }""");
        Assert.Equal(0, await new CliApp(TextWriter.Null, TextWriter.Null, root.Path).RunAsync(["index"]));
        SqliteConnection.ClearAllPools();
        return root.Combine("data", "chatbot.db");
    }
}
