using ChatBot.Cli;
using ChatBot.Core.Ingestion;
using ChatBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Cli;

public sealed class RunCommandTests
{
    [Theory]
    [InlineData]
    [InlineData("run")]
    public async Task Without_a_platform_the_host_says_how_to_configure_one_and_indexes_the_corpus(params string[] args)
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(root.Combine("corpus"));
        foreach (var file in Fixture.SeedFiles)
            File.Copy(file, root.Combine("corpus", Path.GetFileName(file)));
        File.WriteAllText(root.Combine("appsettings.json"), """{ "ChatBot": { "Corpus": { "Path": "corpus" } } }""");
        var logs = new CapturedLogs();
        var app = new CliApp(TextWriter.Null, TextWriter.Null, root.Path)
        {
            ConfigureHost = builder =>
            {
                builder.Logging.AddProvider(logs);
                // Stop the host once the first ingestion pass is done, as an operator pressing Ctrl+C would.
                builder.Services.AddHostedService<StopAfterFirstPass>();
            },
        };

        var code = await app.RunAsync(args).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        Assert.True(logs.Contains("No chat platform is configured"), string.Join("\n", logs.Entries.Select(e => e.Message)));
        Assert.True(logs.Contains("5 added"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task When_a_background_service_dies_and_stops_the_host_the_exit_code_says_so()
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(root.Combine("corpus"));
        var logs = new CapturedLogs();
        var app = new CliApp(TextWriter.Null, TextWriter.Null, root.Path)
        {
            ConfigureHost = builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Services.AddHostedService<Dies>();
            },
        };

        var code = await app.RunAsync(["run"]).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(CliApp.RuntimeError, code); // a process manager restarts it; exit 0 would tell it all is well
        Assert.True(logs.Contains("The bot stopped because Dies failed: the disk is gone"), string.Join("\n", logs.Entries.Select(e => e.Message)));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private sealed class Dies : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new IOException("the disk is gone");
        }
    }

    private sealed class StopAfterFirstPass(CorpusWatcherService watcher, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            watcher.PassCompleted += _ => lifetime.StopApplication();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

public sealed class LoggingTests
{
    [Fact]
    public void Log_lines_carry_their_scope_the_platform_chat_and_message_they_are_about()
    {
        using var root = new TempFolder();
        using var host = ChatBot.Hosting.BotHost.CreateBuilder(root.Path, new Dictionary<string, string?>(), LogLevel.Information).Build();

        var formatter = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions>>()
            .CurrentValue;

        Assert.True(formatter.IncludeScopes);
        Assert.True(formatter.SingleLine);
    }
}
