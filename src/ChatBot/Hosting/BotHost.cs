using ChatBot.Ai;
using ChatBot.Core;
using ChatBot.Discord;
using ChatBot.Observability;
using ChatBot.OperatorConsole;
using ChatBot.Sources;
using ChatBot.Storage.Postgres;
using ChatBot.Storage.Sqlite;
using ChatBot.Telegram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatBot.Hosting;

/// <summary>Builds the generic host that every command runs in: settings, logging to stderr, the core services.</summary>
public static class BotHost
{
    public static HostApplicationBuilder CreateBuilder(string contentRoot, IReadOnlyDictionary<string, string?> overrides, LogLevel minimumLevel)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = contentRoot,
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.ClearProviders();
        // stdout carries answers and JSON; every log line goes to stderr, one line each, in the format
        // Logging:Console:FormatterName names: simple (the default), json (a JSON object a line, for log shippers) or
        // systemd (syslog priority prefixes, for the journal). Scopes carry the platform, chat and message a line is
        // about (set per update by the adapters), as key=value pairs or JSON properties.
        switch (builder.Configuration["Logging:Console:FormatterName"]?.Trim().ToLowerInvariant())
        {
            case "json":
                builder.Logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
                break;
            case "systemd":
                builder.Logging.AddSystemdConsole(o => o.IncludeScopes = true);
                break;
            default:
                builder.Logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.IncludeScopes = true;
                });
                break;
        }
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // Each command has its own default level (run: Information, ask: Warning); Logging:LogLevel:Default, when set
        // (appsettings.json, or Logging__LogLevel__Default in the environment), is a rule and wins over it.
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        // One line per HTTP request (Telegram polls, LLM calls) would drown the bot's own log.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // A start-up failure (a wrong setting) is reported by the command line in one line; the host's own stack trace is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // Under systemd (Type=notify): readiness and stopping are reported to it; elsewhere this does nothing.
        builder.Services.AddSystemd();
        builder.AddChatBotCore();
        builder.AddSqliteStore();
        builder.AddPostgresStore();
        builder.AddAi();
        builder.AddWebSources();
        builder.AddTelegram();
        builder.AddDiscord();
        builder.AddOperatorConsole();
        builder.AddObservability();
        return builder;
    }
}
