using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.OperatorConsole;

/// <summary>
/// Serves the console on <see cref="ConsoleOptions.Listen"/> from inside the bot process: a small Kestrel app whose
/// request services are the bot's own (the same store, catalogue and adapters the chat platforms use).
/// </summary>
public sealed partial class ConsoleService(IServiceProvider services, IOptions<ConsoleOptions> options, ILogger<ConsoleService> logger) : BackgroundService
{
    private WebApplication? _app;

    /// <summary>The address it listens on once started (for tests that bind port 0).</summary>
    public string? ListeningUrl => _app?.Urls.FirstOrDefault();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var app = _app = Build(services, builder => builder.WebHost.UseUrls(options.Value.Listen!));
        await app.StartAsync(stoppingToken);
        LogListening(logger, ListeningUrl ?? options.Value.Listen!);
        // Until the bot stops: then the console stops taking requests and lets those in flight finish.
        await app.WaitForShutdownAsync(stoppingToken);
        await app.StopAsync(CancellationToken.None);
    }

    /// <summary>The console app over <paramref name="bot"/>'s services; <paramref name="configure"/> picks the server (Kestrel, or TestHost in tests).</summary>
    public static WebApplication Build(IServiceProvider bot, Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configure(builder);
        builder.Services.AddSingleton(bot.GetRequiredService<ConsoleData>());
        builder.Services.AddSingleton(bot.GetRequiredService<ConsoleSessions>());
        builder.Services.AddSingleton(bot.GetRequiredService<IOptions<ConsoleOptions>>());
        var app = builder.Build();
        ConsoleApp.Map(app);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator console listening on {Url}")]
    private static partial void LogListening(ILogger logger, string url);
}
