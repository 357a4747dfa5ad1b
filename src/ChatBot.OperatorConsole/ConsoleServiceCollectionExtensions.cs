using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatBot.OperatorConsole;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>
    /// The operator console's settings (validated at start-up: a token of 32 characters or more when it listens) and
    /// services; it listens only in <c>run</c>, and only when <c>ChatBot:Console:Listen</c> is set.
    /// </summary>
    public static IHostApplicationBuilder AddOperatorConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>().Bind(builder.Configuration.GetSection(ConsoleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ConsoleSessions>();
        builder.Services.AddSingleton<ConsoleData>();
        builder.Services.AddSingleton<LoginThrottle>();
        return builder;
    }

    /// <summary>Serves the console while the host runs, when it is configured to listen.</summary>
    public static IHostApplicationBuilder AddConsoleServer(this IHostApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{ConsoleOptions.Section}:Listen"]))
        {
            builder.Services.AddSingleton<ConsoleService>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ConsoleService>());
        }
        return builder;
    }
}
