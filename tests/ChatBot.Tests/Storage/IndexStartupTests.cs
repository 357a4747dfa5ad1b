using ChatBot.Core.Foundation.Hosting;
using ChatBot.Core.Indexing;
using ChatBot.Core.Retrieval;
using ChatBot.Hosting;
using ChatBot.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Storage;

/// <summary>The index is opened once, by the host's start-up, before anything that uses it starts; components never open it.</summary>
public sealed class IndexStartupTests
{
    [Fact]
    public async Task The_host_opens_the_index_before_any_other_hosted_service_starts()
    {
        using var folder = new TempFolder();
        var probe = new StartProbe();
        using var host = Build(folder, builder => builder.Services.AddHostedService(sp => new ProbeService(sp, probe)));
        var opener = host.Services.GetRequiredService<IndexOpener>();
        Assert.False(opener.IsOpen);

        await host.StartAsync(Ct);
        try
        {
            Assert.True(probe.SawOpen);
            Assert.Equal(new IndexCounts(0, 0), probe.Counts);
        }
        finally
        {
            await host.StopAsync(Ct);
            await host.Services.GetRequiredService<IIndexStore>().DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task A_component_used_before_start_up_does_not_open_the_index_itself()
    {
        using var folder = new TempFolder();
        using var host = Build(folder);
        var retriever = host.Services.GetRequiredService<Retriever>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => retriever.RetrieveAsync("Où se trouve Hamedan ?", null, Ct));

        Assert.Contains("has not been opened", error.Message, StringComparison.Ordinal);
        Assert.False(host.Services.GetRequiredService<IndexOpener>().IsOpen);
        await host.Services.GetRequiredService<IIndexStore>().DisposeAsync();
    }

    [Fact]
    public async Task The_spelling_table_is_built_after_the_open_not_by_the_first_question_that_needs_it()
    {
        // At a million chunks the first question needing a suggestion waited 0.33 s for the table of words by gram that
        // spelling suggestions read; the open now builds it in the background, with the article list.
        await using var bot = await RestartedAndWarmedUpAsync();

        var table = bot.Store.Lexical.Footprint().SingleOrDefault(p => p.Structure.StartsWith("words by gram", StringComparison.Ordinal));
        Assert.True(table is { Bytes: > 0 }, "the words-by-gram table is built once the open's warm-up is done");
        // And it serves: a misspelt name finds the corpus's spelling.
        Assert.Contains(bot.Store.Lexical.Similar("khameneii", 0.3, 5), w => w.Folded == "khamenei");
    }

    [Fact]
    public async Task The_counts_every_decline_names_are_read_after_the_open_not_by_the_first_decline()
    {
        // The first count of a million-chunk database took 2.4 s (30 ms once its pages were cached): the open's warm-up
        // counts, so a chunk deleted behind the store's back afterwards is not seen until the store writes.
        await using var bot = await RestartedAndWarmedUpAsync();
        await using (var connection = new SqliteConnection($"Data Source={bot.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM chunks";
            var before = Convert.ToInt32(await count.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM chunks WHERE rowid = (SELECT min(rowid) FROM chunks)";
            Assert.Equal(1, await delete.ExecuteNonQueryAsync(Ct));

            Assert.Equal(before, (await bot.Store.GetCountsAsync(Ct)).Chunks);
        }
    }

    /// <summary>A bot whose corpus was indexed, then started again from its files, once the open's warm-up is done.</summary>
    private static async Task<TestBot> RestartedAndWarmedUpAsync()
    {
        var bot = new TestBot();
        await bot.SyncAsync();
        await bot.RestartAsync();
        await bot.Services.GetRequiredService<IndexOpener>().WarmedUp.WaitAsync(Ct);
        return bot;
    }

    [Fact]
    public async Task Word_lists_are_read_on_another_core_while_the_index_opens_and_a_failed_one_does_not_stop_it()
    {
        using var folder = new TempFolder();
        var slow = new BlockedWarmUp();
        // The failing one comes first: the blocked one after it still starts.
        using var host = Build(folder, builder => builder.Services
            .AddSingleton<IStartupWarmUp>(new FailingWarmUp())
            .AddSingleton<IStartupWarmUp>(slow));
        Assert.Contains(host.Services.GetServices<IStartupWarmUp>(), w => w is ChatBot.Core.Retrieval.Understanding.FrenchSynonyms.ReadAhead);
        var opener = host.Services.GetRequiredService<IndexOpener>();

        // The open does not wait for a warm-up; what it read ahead is done only once every warm-up is.
        await opener.OpenAsync(Ct);
        await slow.Started.Task.WaitAsync(Ct);
        Assert.True(opener.IsOpen);
        Assert.False(opener.WarmedUp.IsCompleted);
        slow.Release.SetResult();
        await opener.WarmedUp.WaitAsync(Ct);
        Assert.True(opener.WarmedUp.IsCompletedSuccessfully);
        await host.Services.GetRequiredService<IIndexStore>().DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    private sealed class BlockedWarmUp : IStartupWarmUp
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void WarmUp()
        {
            Started.SetResult();
            Release.Task.GetAwaiter().GetResult();
        }
    }

    private sealed class FailingWarmUp : IStartupWarmUp
    {
        public void WarmUp() => throw new InvalidDataException("a damaged word list");
    }

    private static IHost Build(TempFolder folder, Action<HostApplicationBuilder>? configure = null)
    {
        Directory.CreateDirectory(folder.Combine("corpus"));
        var builder = BotHost.CreateBuilder(folder.Path, new Dictionary<string, string?>
        {
            ["ChatBot:Corpus:Path"] = folder.Combine("corpus"),
            ["ChatBot:Store:Path"] = folder.Combine("data", "chatbot.db"),
        }, LogLevel.Warning);
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>What a hosted service registered after the core's finds when its turn to start comes.</summary>
    private sealed class StartProbe
    {
        public bool SawOpen { get; set; }

        public IndexCounts? Counts { get; set; }
    }

    private sealed class ProbeService(IServiceProvider services, StartProbe probe) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            probe.SawOpen = services.GetRequiredService<IndexOpener>().IsOpen;
            probe.Counts = await services.GetRequiredService<IIndexStore>().GetCountsAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
