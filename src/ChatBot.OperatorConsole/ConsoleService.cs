using Microsoft.AspNetCore.HttpOverrides;
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
        builder.Services.AddSingleton(bot.GetRequiredService<IOptions<ConsoleOptions>>());
        builder.Services.AddSingleton(bot.GetRequiredService<LoginThrottle>());
        builder.Services.AddSingleton(bot.GetRequiredService<TimeProvider>());
        var console = bot.GetRequiredService<IOptions<ConsoleOptions>>().Value;
        // ASP.NET Core's own parts: cookie authentication (an HttpOnly, SameSite=Strict cookie holding the key of a
        // session kept in memory) and the built-in antiforgery tokens on every form.
        builder.Services.AddAuthentication(ConsoleSessions.Scheme).AddCookie(ConsoleSessions.Scheme, o =>
        {
            o.Cookie.Name = ConsoleSessions.Cookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = TimeSpan.FromHours(console.SessionHours);
            o.SlidingExpiration = false;
            o.SessionStore = bot.GetRequiredService<ConsoleSessions>();
            o.Events.OnRedirectToLogin = context =>
            {
                // A page asks to log in; an action without a session is refused outright.
                if (Microsoft.AspNetCore.Http.HttpMethods.IsGet(context.Request.Method))
                    context.Response.Redirect("/login");
                else
                    context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(o =>
        {
            o.FormFieldName = "csrf";
            o.HeaderName = null;
            o.Cookie.Name = ConsoleSessions.Cookie + "_csrf";
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        // A login form is a token; no page takes more. A larger body is refused with 413 before it is read.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ConsoleApp.MaxBodyBytes);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(f =>
        {
            f.ValueLengthLimit = ConsoleApp.MaxBodyBytes;
            f.MultipartBodyLengthLimit = ConsoleApp.MaxBodyBytes;
            f.BufferBodyLengthLimit = ConsoleApp.MaxBodyBytes;
        });
        // Behind a TLS proxy (the documented set-up) the request is HTTPS and comes from the client: believed only
        // from the proxies named in ChatBot:Console:TrustedProxies (loopback by default).
        builder.Services.Configure<ForwardedHeadersOptions>(f =>
        {
            f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in bot.GetRequiredService<IOptions<ConsoleOptions>>().Value.TrustedProxies)
                f.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        var app = builder.Build();
        app.UseForwardedHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        ConsoleApp.Map(app);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator console listening on {Url}")]
    private static partial void LogListening(ILogger logger, string url);
}
