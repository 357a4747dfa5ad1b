using ChatBot.Ai.Embeddings;
using ChatBot.Cli;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.OpenAi;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Ai;

public sealed class EmbedderEndToEndTests
{

    [Fact]
    public async Task The_onnx_embedder_indexes_and_searches_the_corpus()
    {
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Ai:Embedder"] = "Onnx";
        bot.Settings["ChatBot:Ai:OnnxPath"] = Path.Combine(Fixture.Root, "tiny-bert");
        bot.Settings["ChatBot:Ai:OnnxMaxTokens"] = "128";

        var report = await bot.SyncAsync();
        var reply = await bot.AskAsync("Dans quelle région de l'Iran se trouve Hamedan ?");

        Assert.IsType<OnnxEmbeddingGenerator>(bot.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Equal(5, report.Added);
        var chunk = (await bot.Store.ExportArticleChunksAsync("000_47b6786323e8e5c6", Ct)).Single(c => c.Key == "000_47b6786323e8e5c6#0");
        Assert.Equal(64, chunk!.Embedding.Length);
        Assert.Equal("000_47b6786323e8e5c6", reply.Citations[0].ArticleId);
    }

    [Fact]
    public async Task The_openai_embedder_indexes_through_the_endpoint_and_a_wrong_dimension_names_the_setting()
    {
        await using var llm = await FakeOpenAi.StartAsync();
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Ai:Embedder"] = "OpenAI";
        bot.Settings["ChatBot:Ai:Endpoint"] = llm.Endpoint;
        bot.Settings["ChatBot:Ai:EmbeddingModel"] = "text-embedding-test";
        bot.Settings["ChatBot:Ai:EmbeddingDimensions"] = "48";

        var report = await bot.SyncAsync();
        var reply = await bot.AskAsync("Quel vice-Premier ministre russe le ministre iranien de la Défense a-t-il rencontré ?");

        Assert.Equal(5, report.Added);
        Assert.Contains(llm.Requests, r => r.Path == "/v1/embeddings" && r.Body["model"]!.GetValue<string>() == "text-embedding-test");
        Assert.Equal("002_4fced6dc993173a8", reply.Citations[0].ArticleId);

        llm.EmbeddingDimensions = 50;
        bot.WriteArticle("nouveau.txt", "Un nouvel article assez long\n\nLe texte de ce nouvel article parle encore de la coopération entre Moscou et Téhéran.\n");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(bot.SyncAsync);
        Assert.Contains("ChatBot:Ai:EmbeddingDimensions is 48", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "ChatBot": { "Ai": { "Provider": "OpenAI", "Endpoint": "http://127.0.0.1:9/v1" } } }""", "ChatBot:Ai:ChatModel is required")]
    [InlineData("""{ "ChatBot": { "Ai": { "Provider": "OpenAI", "Endpoint": "https://api.openai.com/v1", "ChatModel": "gpt-4o-mini" } } }""", "ChatBot:Ai:ApiKey is required for api.openai.com")]
    [InlineData("""{ "ChatBot": { "Ai": { "Provider": "OpenAI", "ChatModel": "llama3" } } }""", "ChatBot:Ai:Endpoint must be the absolute URL")]
    [InlineData("""{ "ChatBot": { "Ai": { "Embedder": "Onnx", "OnnxPath": "no/such/folder" } } }""", "ChatBot:Ai:OnnxPath")]
    [InlineData("""{ "ChatBot": { "Ai": { "Embedder": "OpenAI", "Endpoint": "http://127.0.0.1:9/v1" } } }""", "ChatBot:Ai:EmbeddingModel and ChatBot:Ai:EmbeddingDimensions are required")]
    [InlineData("""{ "ChatBot": { "Ai": { "Provider": "Claude" } } }""", "ChatBot:Ai:Provider 'Claude' must be")]
    public async Task A_wrong_ai_combination_stops_start_up_naming_the_setting(string settings, string message)
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(root.Combine("corpus"));
        File.Copy(Fixture.SeedFiles.First(), root.Combine("corpus", "a.txt"));
        File.WriteAllText(root.Combine("appsettings.json"), settings);
        using var error = new StringWriter();

        var code = await new CliApp(TextWriter.Null, error, root.Path).RunAsync(["ask", "Qui est Poutine ?"]);

        Assert.Equal(1, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_prompt_template_stops_start_up_naming_the_file()
    {
        await using var llm = await FakeOpenAi.StartAsync();
        using var root = new TempFolder();
        Directory.CreateDirectory(root.Combine("corpus"));
        Directory.CreateDirectory(root.Combine("prompts"));
        File.Copy(Fixture.SeedFiles.First(), root.Combine("corpus", "a.txt"));
        File.Copy(Path.Combine(Fixture.Root, "prompts", "answer.md"), root.Combine("prompts", "answer.md"));
        File.WriteAllText(root.Combine("appsettings.json"), $$"""{ "ChatBot": { "Ai": { "Provider": "OpenAI", "Endpoint": "{{llm.Endpoint}}", "ChatModel": "m" } } }""");
        using var error = new StringWriter();

        var code = await new CliApp(TextWriter.Null, error, root.Path).RunAsync(["ask", "Qui est Poutine ?"]);

        Assert.Equal(1, code);
        Assert.Contains("summary.md", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("ChatBot:Ai:PromptsPath", error.ToString(), StringComparison.Ordinal);
    }
}
