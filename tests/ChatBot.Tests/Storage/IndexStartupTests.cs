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
