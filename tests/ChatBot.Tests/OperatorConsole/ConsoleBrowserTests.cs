using System.Net;
using System.Net.Sockets;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Data.Sqlite;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ChatBot.Tests.OperatorConsole;

/// <summary>
/// The real executable with the fake Telegram, and Debian's Chromium driven headless through chromedriver: people ask
/// five questions (two the corpus cannot answer) and vote 👎 on one answer; the operator logs in and finds them.
/// Set <c>CHATBOT_CONSOLE_SCREENSHOTS</c> to a folder to keep a screenshot of each page (docs/console/ holds them).
/// Without Chromium the test is skipped, unless <c>CHATBOT_TEST_BROWSER_REQUIRED=1</c> (as in CI): then it fails.
/// </summary>
public sealed class ConsoleBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Driver = "/usr/bin/chromedriver";

    [Fact]
    public async Task An_operator_finds_the_declined_questions_the_latency_chart_and_the_down_vote_in_a_real_browser()
    {
        if (!File.Exists(Chromium) || !File.Exists(Driver))
        {
            const string why = "Debian's chromium and chromium-driver packages are not installed (.ci/run installs them)";
            if (Environment.GetEnvironmentVariable("CHATBOT_TEST_BROWSER_REQUIRED") == "1")
                Assert.Fail(why);
            Assert.Skip(why);
        }
        await using var api = await FakeBotApi.StartAsync();
        using var root = new TempFolder();
        await BotFolder.IndexedAsync(root);
        var console = $"http://127.0.0.1:{FreePort()}";

        using var bot = BotProcess.Start(root.Path, "run", new Dictionary<string, string>
        {
            ["ChatBot__Telegram__Token"] = FakeBotApi.Token,
            ["ChatBot__Telegram__BaseUrl"] = api.BaseUrl,
            ["ChatBot__Telegram__PerChatIntervalMs"] = "0",
            ["ChatBot__Console__Listen"] = console,
            ["ChatBot__Console__Token"] = ConsoleEndpointTests.Token,
        });
        try
        {
            string[] questions =
            [
                "Quels avions russes ont décollé de Hamedan ?",
                "Que dit Poutine de l'aide militaire à l'Iran ?",
                "Quel est le prix du pétrole au Venezuela ?",
                "Qui a gagné la Coupe du monde de football ?",
                "Où se trouve la base aérienne de Hamedan ?",
            ];
            for (var i = 0; i < questions.Length; i++)
                api.Send(101 + i, questions[i]);
            var sent = await api.WaitForSentAsync(5, TimeSpan.FromSeconds(60));
            var first = sent.First(s => s.Body["chat_id"]!.GetValue<long>() == 101);
            api.Press(101, first.Body["_message_id"]!.GetValue<int>(), FeedbackService.Down, userId: 42);
            await WaitForVoteAsync(console);

            var options = new ChromeOptions { BinaryLocation = Chromium };
            options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1100", "--lang=fr-FR");
            options.AddUserProfilePreference("intl.accept_languages", "fr-FR,fr");
            using var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
            service.SuppressInitialDiagnosticInformation = true;
            service.HideCommandPromptWindow = true;
            using var browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));

            browser.Navigate().GoToUrl(console + "/questions");
            Assert.EndsWith("/login", browser.Url, StringComparison.Ordinal); // sent to the login first
            Screenshot(browser, "login");
            browser.FindElement(By.Name("token")).SendKeys(ConsoleEndpointTests.Token);
            browser.FindElement(By.CssSelector("form[action='/login'] button")).Click();
            await Eventually.WaitAsync(() => browser.Url == console + "/", () => $"the browser sent home after login (at {browser.Url})"); // a click does not wait for the next page
            Assert.Equal("État", browser.FindElement(By.Id("page-title")).Text);
            Assert.Contains("Telegram", browser.FindElement(By.Id("platforms")).Text, StringComparison.Ordinal);
            Screenshot(browser, "health");

            browser.Navigate().GoToUrl(console + "/gaps");
            var gaps = browser.FindElements(By.CssSelector("#gaps li.gap .question")).Select(e => e.Text).ToList();
            Assert.Equal(2, gaps.Count);
            Assert.Contains(questions[2], gaps);
            Assert.Contains(questions[3], gaps);
            Screenshot(browser, "gaps");

            browser.Navigate().GoToUrl(console + "/questions");
            var chart = browser.FindElement(By.Id("latency-chart"));
            Assert.True(chart.Displayed && chart.Size.Height > 50, "the latency chart is drawn");
            Assert.NotEmpty(chart.FindElements(By.CssSelector("rect.bar")));
            Assert.Contains("5 questions", browser.FindElement(By.Id("summary")).Text, StringComparison.Ordinal);
            Screenshot(browser, "questions");

            browser.Navigate().GoToUrl(console + "/feedback");
            var vote = Assert.Single(browser.FindElements(By.CssSelector("#down-votes tr.vote")));
            Assert.Contains("Hamedan", vote.Text, StringComparison.Ordinal);
            Screenshot(browser, "feedback");

            browser.Navigate().GoToUrl(console + "/articles?q=russie");
            Assert.NotEmpty(browser.FindElements(By.CssSelector("#articles a")));
            Screenshot(browser, "articles");
            browser.FindElement(By.CssSelector("#articles a")).Click();
            await Eventually.WaitAsync(() => browser.Url.Contains("/articles/", StringComparison.Ordinal), () => $"the article page opened (at {browser.Url})");
            Assert.NotEmpty(browser.FindElements(By.CssSelector("pre.chunk")));
            Screenshot(browser, "article");
        }
        finally
        {
            if (!bot.HasExited)
                bot.Kill(entireProcessTree: true);
            await bot.WaitForExitAsync(Ct);
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Logs in over plain HTTP and waits until the feedback page lists the vote (the vote is stored after its acknowledgement).</summary>
    private static async Task WaitForVoteAsync(string console)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(console) };
        await Eventually.WaitAsync(async () =>
        {
            try
            {
                if (handler.CookieContainer.Count == 0)
                    await http.PostAsync("/login", new FormUrlEncodedContent([new("token", ConsoleEndpointTests.Token)]), Ct);
                return (await http.GetStringAsync("/feedback", Ct)).Contains("class=\"vote\"", StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                return false; // the console is still starting
            }
        }, "the 👎 vote listed by the console", TimeSpan.FromSeconds(30));
    }

    private static void Screenshot(ChromeDriver browser, string name)
    {
        if (Environment.GetEnvironmentVariable("CHATBOT_CONSOLE_SCREENSHOTS") is not { Length: > 0 } folder)
            return;
        Directory.CreateDirectory(folder);
        browser.GetScreenshot().SaveAsFile(Path.Combine(folder, name + ".png"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
