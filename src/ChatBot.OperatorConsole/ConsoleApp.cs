using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ChatBot.OperatorConsole.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RazorSlices;

namespace ChatBot.OperatorConsole;

/// <summary>
/// The console's routes on a web application whose services are the bot's: security headers on every response, a
/// login that turns the admin token into a cookie-authentication session (HttpOnly, SameSite=Strict), every page
/// behind it, and the actions (reindex, logout) behind ASP.NET Core's antiforgery token too.
/// </summary>
public static class ConsoleApp
{
    /// <summary>The largest request body the console reads: a login form, or a CSRF token.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private const string Css = "text/css; charset=utf-8";
    private static readonly Lazy<string> Stylesheet = new(() => ConsoleText.Resource("console.css"));

    public static void Map(WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            if (http.Request.IsHttps)
                headers.StrictTransportSecurity = "max-age=31536000";
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            try
            {
                await next(http);
            }
            catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or InvalidDataException && !http.Response.HasStarted)
            {
                // A body past the limit without a Content-Length (chunked), or a form value past FormOptions' limits.
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            }
        });

        app.MapGet("/console.css", () => Results.Text(Stylesheet.Value, Css));
        app.MapGet("/login", (HttpRequest request) => Page(LoginPage.Create(new(ConsoleText.Of(request), Refused: false))));
        app.MapPost("/login", LoginAsync).DisableAntiforgery();
        app.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (http.User.Identity?.IsAuthenticated == true && await antiforgery.IsRequestValidAsync(http))
                await http.SignOutAsync(ConsoleSessions.Scheme); // ends the session on the server too
            http.Response.Cookies.Delete(ConsoleSessions.Cookie);
            return Results.Redirect("/login");
        }).DisableAntiforgery();

        var pages = app.MapGroup("").RequireAuthorization();
        pages.MapGet("/", async (HttpContext http, ConsoleData data) =>
            Page(HealthPage.Create(new(ConsoleText.Of(http.Request), await data.HealthAsync(http.RequestAborted), Session(http)!))));
        pages.MapGet("/questions", async (HttpContext http, ConsoleData data) =>
            Page(QuestionsPage.Create(new(ConsoleText.Of(http.Request), await data.QuestionStatsAsync(http.RequestAborted), data.Days, data.ShowsText, Session(http)!))));
        pages.MapGet("/gaps", async (HttpContext http, ConsoleData data) =>
        {
            var gaps = await data.GapsAsync(http.RequestAborted);
            var articles = await data.ArticlesByIdAsync(gaps.Select(g => g.ClosestArticleId).OfType<string>(), http.RequestAborted);
            return Page(GapsPage.Create(new(ConsoleText.Of(http.Request), gaps, articles, data.ShowsText, Session(http)!)));
        });
        pages.MapGet("/feedback", async (HttpContext http, ConsoleData data) =>
        {
            var (down, stale) = await data.FeedbackAsync(http.RequestAborted);
            var articles = await data.ArticlesByIdAsync(down.SelectMany(v => v.Citations), http.RequestAborted);
            return Page(FeedbackPage.Create(new(ConsoleText.Of(http.Request), down, stale, articles, data.ShowsText, Session(http)!)));
        });
        pages.MapGet("/articles", async (HttpContext http, ConsoleData data, string? q, int? page) =>
            Page(ArticlesPage.Create(new(ConsoleText.Of(http.Request), await data.ArticlesAsync(q, page ?? 1, http.RequestAborted), Session(http)!))));
        pages.MapGet("/articles/{id}", async (HttpContext http, ConsoleData data, string id) =>
        {
            var language = ConsoleText.Of(http.Request);
            return await data.ArticleAsync(id, http.RequestAborted) is { } found
                ? Page(ArticlePage.Create(new(language, found.Article, found.Chunks, Session(http)!)))
                : Page(MessagePage.Create(new(language, "notfound", Session(http))), StatusCodes.Status404NotFound);
        });
        pages.MapPost("/reindex", async (HttpContext http, ConsoleData data, IAntiforgery antiforgery) =>
        {
            var language = ConsoleText.Of(http.Request);
            if (!await antiforgery.IsRequestValidAsync(http) || Session(http) is not { } session)
                return Page(MessagePage.Create(new(language, "csrf.refused", Session(http))), StatusCodes.Status403Forbidden);
            var (report, counts) = await data.ReindexAsync(http.RequestAborted);
            return Page(ReindexedPage.Create(new(language, report, counts, session)));
        }).DisableAntiforgery();
        app.MapFallback((HttpRequest request) => Page(MessagePage.Create(new(ConsoleText.Of(request), "notfound", Session(request.HttpContext))), StatusCodes.Status404NotFound));
    }

    private static async Task<IResult> LoginAsync(HttpContext http, LoginThrottle throttle, IOptions<ConsoleOptions> options, TimeProvider time)
    {
        var language = ConsoleText.Of(http.Request);
        var address = http.Connection.RemoteIpAddress;
        if (throttle.WaitFor(address) is var wait && wait > TimeSpan.Zero)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page(LoginPage.Create(new(language, Refused: true)), StatusCodes.Status429TooManyRequests);
        }
        var given = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))["token"].ToString() : "";
        var expected = options.Value.Token?.Trim() ?? "";
        // Compared in constant time over hashes (equal lengths whatever was typed); any refusal reads the same.
        var match = expected.Length >= ConsoleOptions.MinimumTokenLength
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given.Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        if (!match)
        {
            throttle.Failed(address);
            return Page(LoginPage.Create(new(language, Refused: true)), StatusCodes.Status401Unauthorized);
        }
        throttle.Succeeded(address);
        var operatorIdentity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator")], ConsoleSessions.Scheme);
        await http.SignInAsync(ConsoleSessions.Scheme, new ClaimsPrincipal(operatorIdentity), new AuthenticationProperties
        {
            IsPersistent = true,
            ExpiresUtc = time.GetUtcNow() + TimeSpan.FromHours(options.Value.SessionHours),
        });
        return Results.Redirect("/");
    }

    /// <summary>The signed-in operator's page model (with the form token), or null when nobody is signed in.</summary>
    private static ConsoleSession? Session(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
            ? new ConsoleSession(http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken!)
            : null;

    /// <summary>A page as the response: its status, and the encoder that escapes markup but keeps letters of every script.</summary>
    private static RazorSlice Page(RazorSlice page, int status = StatusCodes.Status200OK)
    {
        page.StatusCode = status;
        page.HtmlEncoder = Html.Encoder;
        return page;
    }
}
