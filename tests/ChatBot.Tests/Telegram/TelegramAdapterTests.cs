using Microsoft.Extensions.Logging;
using ChatBot.Tests.Support.Telegram;
using static ChatBot.Tests.Support.Telegram.FakeBotApi;

namespace ChatBot.Tests.Telegram;

public sealed class TelegramAdapterTests
{
    private const long PrivateChat = 42;
    private const long Group = -100123;

    [Fact]
    public async Task Private_message_gets_a_cited_html_answer_as_a_reply_without_link_preview()
    {
        await using var t = await TelegramHarness.StartAsync();

        var question = t.Api.Send(PrivateChat, "Dans quelle région de l'Iran se trouve Hamedan ?");
        var sent = await t.Api.WaitForSentAsync(1);

        var answer = sent[0].Body;
        Assert.Equal("HTML", answer["parse_mode"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal(question, answer["reply_parameters"]!["message_id"]!.GetValue<int>());
        Assert.True(answer["link_preview_options"]!["is_disabled"]!.GetValue<bool>());
        var html = answer["text"]!.GetValue<string>();
        Assert.Contains("nord-ouest", html, StringComparison.Ordinal);
        Assert.Contains("[1] <b>La Russie n'utilisera plus de base iranienne pour frapper en Syrie</b> — Euronews", html, StringComparison.Ordinal);
        Assert.Contains(t.Api.Calls, c => c.Method == "sendChatAction" && c.Body["action"]!.GetValue<string>() == "typing");
    }

    [Fact]
    public async Task On_start_it_drops_any_webhook_and_publishes_french_and_english_commands()
    {
        await using var t = await TelegramHarness.StartAsync();
        t.Api.Send(PrivateChat, "/help");
        await t.Api.WaitForSentAsync(1);

        var calls = t.Api.Calls.Select(c => c.Method).ToList();
        Assert.True(calls.IndexOf("deleteWebhook") < calls.IndexOf("getUpdates"));
        var commands = t.Api.Calls.Where(c => c.Method == "setMyCommands").ToList();
        Assert.Equal(2, commands.Count);
        var french = commands.Single(c => c.Body["language_code"] is null);
        var english = commands.Single(c => c.Body["language_code"]?.GetValue<string>() == "en");
        Assert.Equal(["ask", "summary", "digest", "sources", "help"], french.Body["commands"]!.AsArray().Select(c => c!["command"]!.GetValue<string>()));
        Assert.Equal("Poser une question sur le corpus", french.Body["commands"]![0]!["description"]!.GetValue<string>());
        Assert.Equal("Ask a question about the corpus", english.Body["commands"]![0]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task In_groups_only_commands_mentions_and_replies_to_the_bot_are_answered()
    {
        await using var t = await TelegramHarness.StartAsync();

        t.Api.Send(Group, "Quelqu'un sait où se trouve Hamedan ?", chatType: "supergroup");
        t.Api.Send(Group, "/ask@OtherBot Où se trouve Hamedan ?", chatType: "supergroup");
        t.Api.Send(Group, "/weather Paris", chatType: "supergroup");
        var command = t.Api.Send(Group, "/ask@CorpusBot Dans quelle région de l'Iran se trouve Hamedan ?", chatType: "supergroup");
        var mention = t.Api.Send(Group, "@CorpusBot avec quel président iranien Poutine a-t-il tenu une conférence de presse ?", chatType: "supergroup");
        t.Api.Send(Group, "Encore quelqu'un qui parle sans s'adresser au bot", chatType: "supergroup");
        var last = t.Api.Send(Group, "/help@CorpusBot", chatType: "supergroup"); // one chat is handled in order: its reply comes last
        var sent = await t.Api.WaitForSentAsync(3);

        Assert.Equal(3, t.Api.Sent.Count);
        Assert.Equal([command, mention, last], sent.Select(s => s.Body["reply_parameters"]!["message_id"]!.GetValue<int>()));
        Assert.Contains("nord-ouest", sent[0].Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Rohani", sent[1].Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_to_the_bot_continues_the_conversation()
    {
        await using var t = await TelegramHarness.StartAsync();

        t.Api.Send(Group, "@CorpusBot À quels pays la Russie a-t-elle exporté le S-400 ?", chatType: "group");
        var first = (await t.Api.WaitForSentAsync(1))[0];
        t.Api.Send(Group, "Et qui l'a rapporté ?", chatType: "group", replyToMessageId: first.Body["_message_id"]!.GetValue<int>(), replyToBot: true);
        var second = (await t.Api.WaitForSentAsync(2))[1];

        Assert.Contains("Turquie", first.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Defense News", second.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_and_help_commands_work_in_the_users_language()
    {
        await using var t = await TelegramHarness.StartAsync();

        t.Api.Send(PrivateChat, "/summary 004_d14a4ba0e42e9e1f");
        t.Api.Send(PrivateChat, "/help", languageCode: "en");
        var sent = await t.Api.WaitForSentAsync(2);

        var summary = sent[0].Body["_visible"]!.GetValue<string>();
        Assert.StartsWith("Résumé de « Poutine : L'Iran n'a pas demandé d'aide militaire à la Russie »", summary, StringComparison.Ordinal);
        Assert.Contains("[1] Poutine : L'Iran n'a pas demandé d'aide militaire à la Russie", summary, StringComparison.Ordinal);
        Assert.Contains("/summary … — Summarise an article or a topic", sent[1].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_text_is_escaped_in_html_replies()
    {
        await using var t = await TelegramHarness.StartAsync();

        t.Api.Send(PrivateChat, "/summary <script>alert(1)</script> & coopération militaire Russie Iran");
        var sent = await t.Api.WaitForSentAsync(1);

        var html = sent[0].Body["text"]!.GetValue<string>();
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; coopération", html, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script> & coopération", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_reply_arrives_as_several_valid_html_messages_in_order()
    {
        await using var t = await TelegramHarness.StartAsync(bot =>
        {
            var sentence = "Le rapport détaille longuement, chiffres à l'appui et avec de nombreuses citations de responsables russes et iraniens, la manière dont la coopération énergétique a évolué au fil des années, des premiers accords gaziers jusqu'aux projets de centrales nucléaires civiles construites par Rosatom, en passant par les échanges de technologies, les prêts accordés par les banques d'État et les difficultés créées par les sanctions internationales qui pèsent sur les deux pays";
            var text = "Un très long rapport sur l'énergie\n\n" + string.Join(" ", Enumerable.Range(1, 24).Select(i => $"{sentence}, puis {sentence.ToLowerInvariant()} (point {i}) & <suite>."));
            bot.WriteArticle("rapport.txt", text);
        });

        var question = t.Api.Send(PrivateChat, "/summary rapport");
        var help = t.Api.Send(PrivateChat, "/help"); // answered once every part of the summary is out
        await FakeBotApi.WaitForAsync(() => t.Api.Sent.Any(s => s.Body["reply_parameters"]?["message_id"]?.GetValue<int>() == help), "the reply after the summary");
        var sent = t.Api.Sent.Take(t.Api.Sent.Count - 1).ToList();

        Assert.True(sent.Count >= 2);
        Assert.All(sent, s => Assert.Null(TelegramHtmlValidator.Parse(s.Body["text"]!.GetValue<string>()).Error));
        Assert.All(sent, s => Assert.True(s.Body["text"]!.GetValue<string>().Length <= 4096));
        Assert.Equal(question, sent[0].Body["reply_parameters"]!["message_id"]!.GetValue<int>());
        Assert.Null(sent[1].Body["reply_parameters"]);
        Assert.Contains("[1] Un très long rapport sur l'énergie", sent[^1].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_is_retried_after_retry_after()
    {
        await using var t = await TelegramHarness.StartAsync();
        t.Api.FailNext("sendMessage", new Fault(429, "Too Many Requests: retry after 1", RetryAfter: 1));

        t.Api.Send(PrivateChat, "/help");
        await t.Api.WaitForSentAsync(1);

        var attempts = t.Api.Calls.Where(c => c.Method == "sendMessage").ToList();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(0.95), $"retried after {(attempts[1].At - attempts[0].At).TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task A_failing_update_is_apologised_for_and_the_next_one_is_answered()
    {
        await using var t = await TelegramHarness.StartAsync();
        t.Api.FailNext("sendMessage", new Fault(400, "Bad Request: chat not found"));

        t.Api.Send(PrivateChat, "/help");
        var apology = (await t.Api.WaitForSentAsync(1))[0];
        t.Api.Send(PrivateChat, "Dans quelle région de l'Iran se trouve Hamedan ?");
        var answer = (await t.Api.WaitForSentAsync(2))[1];

        Assert.Contains("Désolé", apology.Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("nord-ouest", answer.Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(t.Logs.Contains("handling update"));
    }

    [Fact]
    public async Task The_loop_survives_a_dropped_connection_and_a_server_error()
    {
        await using var t = await TelegramHarness.StartAsync();
        t.Api.FailNext("getUpdates", new Fault(0, "", Drop: true));
        t.Api.FailNext("getUpdates", new Fault(502, "Bad Gateway"));

        t.Api.Send(PrivateChat, "Dans quelle région de l'Iran se trouve Hamedan ?");
        var sent = await t.Api.WaitForSentAsync(1);

        Assert.Contains("nord-ouest", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(t.Logs.Contains("Telegram adapter failed"));
    }

    [Fact]
    public async Task Messages_of_one_chat_are_answered_in_order()
    {
        await using var t = await TelegramHarness.StartAsync();
        string[] questions =
        [
            "Dans quelle région de l'Iran se trouve Hamedan ?", "/help", "Avec quel président iranien Poutine a-t-il tenu une conférence de presse ?",
            "/sources", "Quelles technologies militaires Moscou fournit-elle à Téhéran ?",
        ];

        var ids = questions.Select(q => t.Api.Send(PrivateChat, q)).ToList();
        var sent = await t.Api.WaitForSentAsync(questions.Length);

        Assert.Equal(ids, sent.Select(s => s.Body["reply_parameters"]!["message_id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_rejected_token_stops_the_adapter_with_a_clear_error_and_the_host_keeps_running()
    {
        await using var t = await TelegramHarness.StartAsync(token: "123456789:WRONG-token");
        await FakeBotApi.WaitForAsync(() => t.Logs.Contains("Telegram rejected the bot token"), "the adapter parked");

        Assert.True(t.Logs.Contains("Telegram rejected the bot token (401 Unauthorized). Check ChatBot:Telegram:Token"));
        Assert.DoesNotContain(t.Api.Calls, c => c.Method == "getUpdates");
        var report = await t.Bot.SyncAsync();
        Assert.Equal(5, report.Unchanged);
    }
}

public sealed class TelegramConcurrencyTests
{
    [Fact]
    public async Task A_slow_reply_in_one_chat_does_not_hold_up_another_chat()
    {
        await using var t = await TelegramHarness.StartAsync();
        t.Api.FailNext("sendMessage", new FakeBotApi.Fault(0, "", Delay: TimeSpan.FromSeconds(3), ForChat: 1001));

        t.Api.Send(1001, "/help");
        await FakeBotApi.WaitForAsync(() => t.Api.Calls.Any(c => c.Method == "sendMessage" && c.Body["chat_id"]!.GetValue<long>() == 1001), "the slow reply on its way");
        t.Api.Send(1002, "Dans quelle région de l'Iran se trouve Hamedan ?");
        var sent = await t.Api.WaitForSentAsync(2);

        Assert.Equal([1002L, 1001L], sent.Select(s => s.Body["chat_id"]!.GetValue<long>()));
    }
}

public sealed class TelegramConcurrencyBoundTests
{
    [Fact]
    public async Task No_more_updates_run_at_once_than_configured()
    {
        await using var t = await TelegramHarness.StartAsync(bot => bot.Settings["ChatBot:Telegram:MaxConcurrentUpdates"] = "1");
        t.Api.FailNext("sendMessage", new FakeBotApi.Fault(0, "", Delay: TimeSpan.FromSeconds(2), ForChat: 2001));

        t.Api.Send(2001, "/help");
        await FakeBotApi.WaitForAsync(() => t.Api.Calls.Any(c => c.Method == "sendMessage" && c.Body["chat_id"]!.GetValue<long>() == 2001), "the slow reply on its way");
        t.Api.Send(2002, "/help");
        var sent = await t.Api.WaitForSentAsync(2);

        Assert.Equal([2001L, 2002L], sent.Select(s => s.Body["chat_id"]!.GetValue<long>()));
    }
}

public sealed class TelegramSecretsTests
{
    [Fact]
    public async Task The_bot_token_never_appears_in_any_log_message_even_at_trace_level()
    {
        // An operator debugging with every log on, HTTP client logs included.
        await using var t = await TelegramHarness.StartAsync(bot => bot.Configure = builder =>
            builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace).AddFilter("System.Net.Http.HttpClient", Microsoft.Extensions.Logging.LogLevel.Trace));

        t.Api.Send(42, "Dans quelle région de l'Iran se trouve Hamedan ?");
        await t.Api.WaitForSentAsync(1);

        Assert.NotEmpty(t.Logs.Entries);
        Assert.DoesNotContain(t.Logs.Entries, e => e.Message.Contains(FakeBotApi.Token.Split(':')[1], StringComparison.Ordinal));
    }
}
