using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Retrieval;
using ChatBot.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Support;

/// <summary>
/// The real bot (same DI graph as the app) over a private content root: its own corpus folder, its own SQLite file.
/// </summary>
public sealed class TestBot : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private IHost? _host;

    public TestBot(bool seedCorpus = true)
    {
        Directory.CreateDirectory(CorpusPath);
        if (seedCorpus)
        {
            foreach (var file in Fixture.SeedFiles)
                File.Copy(file, System.IO.Path.Combine(CorpusPath, System.IO.Path.GetFileName(file)));
        }
    }

    public string Root => _folder.Path;
    public string CorpusPath => _folder.Combine("corpus");
    public string DatabasePath => _folder.Combine("data", "chatbot.db");
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Action<HostApplicationBuilder>? Configure { get; set; }

    public IHost Host => _host ??= Build();
    public IServiceProvider Services => Host.Services;
    public CorpusIngester Ingester => Services.GetRequiredService<CorpusIngester>();
    public QuestionAnswerer Answerer => Services.GetRequiredService<QuestionAnswerer>();
    public Retriever Retriever => Services.GetRequiredService<Retriever>();
    public IIndexStore Store => Services.GetRequiredService<IIndexStore>();

    /// <summary>Points the store at a PostgreSQL database, as replica <paramref name="replica"/>.</summary>
    public TestBot UsePostgres(string connectionString, string replica)
    {
        Settings["ChatBot:Store:Provider"] = "Postgres";
        Settings["ChatBot:Store:ConnectionString"] = connectionString;
        Settings["ChatBot:Store:ReplicaName"] = replica;
        Settings["ChatBot:Store:LeaderRetrySeconds"] = "0.5";
        return this;
    }

    /// <summary>Adds <paramref name="logs"/> as a log provider and, when given, <paramref name="time"/> as the bot's clock, keeping any <see cref="Configure"/> already set.</summary>
    public void Observe(CapturedLogs logs, TimeProvider? time = null)
    {
        var own = Configure;
        Configure = builder =>
        {
            builder.Logging.AddProvider(logs);
            if (time is not null)
                builder.Services.AddSingleton(time);
            own?.Invoke(builder);
        };
    }

    public Task<IngestionReport> SyncAsync() => Ingester.SyncAsync(null, TestContext.Current.CancellationToken);

    public async Task<ChatReply> AskAsync(string question)
    {
        await SyncAsync();
        return await Answerer.AnswerAsync(new ChatRequest(question), TestContext.Current.CancellationToken);
    }

    public void WriteArticle(string name, string text) => File.WriteAllText(System.IO.Path.Combine(CorpusPath, name), text);

    public string ArticlePath(string name) => System.IO.Path.Combine(CorpusPath, name);

    /// <summary>Starts over with a new host on the same files (a restart).</summary>
    public async Task RestartAsync()
    {
        await StopHostAsync();
        _host = Build();
    }

    private IHost Build()
    {
        var settings = new Dictionary<string, string?>(Settings, StringComparer.OrdinalIgnoreCase)
        {
            ["ChatBot:Corpus:Path"] = Settings.GetValueOrDefault("ChatBot:Corpus:Path") ?? CorpusPath,
            ["ChatBot:Store:Path"] = Settings.GetValueOrDefault("ChatBot:Store:Path") ?? DatabasePath,
        };
        var builder = BotHost.CreateBuilder(Root, settings, LogLevel.Warning);
        Configure?.Invoke(builder);
        var host = builder.Build();
        // What the host's start-up does first (IndexOpenerService), so that tests may use services without starting
        // the host; starting it later finds the index open. Off the test's synchronisation context: no deadlock.
        Task.Run(() => host.Services.GetRequiredService<IndexOpener>().OpenAsync(CancellationToken.None)).GetAwaiter().GetResult();
        return host;
    }

    private async Task StopHostAsync()
    {
        if (_host is null)
            return;
        await _host.StopAsync(CancellationToken.None);
        if (_host.Services.GetService<IIndexStore>() is { } store)
            await store.DisposeAsync();
        _host.Dispose();
        _host = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
