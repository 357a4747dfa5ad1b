using System.Text.Json;
using ChatBot.Cli;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Cli;

/// <summary>The command line in-process, over a content root with its own appsettings.json, corpus and index.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempFolder _root = new();

    public CliTests()
    {
        Directory.CreateDirectory(_root.Combine("corpus"));
        foreach (var file in Fixture.SeedFiles)
            File.Copy(file, _root.Combine("corpus", Path.GetFileName(file)));
        File.WriteAllText(_root.Combine("appsettings.json"), """{ "ChatBot": { "Corpus": { "Path": "corpus" }, "Store": { "Path": "data/chatbot.db" } } }""");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Dispose();
    }

    private Task<(int Code, string Out, string Err)> Run(params string[] args) => RunWithInput(null, args);

    private async Task<(int Code, string Out, string Err)> RunWithInput(string? input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var app = new CliApp(output, error, _root.Path, input is null ? null : new StringReader(input));
        var code = await app.RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Index_fetches_every_configured_source_once_and_exits()
    {
        await using var site = await ChatBot.FixtureSite.NewsSite.StartAsync(Sources.SiteArticles.All);
        File.WriteAllText(_root.Combine("appsettings.json"), $$"""{ "ChatBot": { "Corpus": { "Path": "corpus" }, "Store": { "Path": "data/chatbot.db" }, "Sources": { "Feeds": [ "{{site.Url("feed.xml")}}" ], "PerHostIntervalMs": 0 } } }""");

        var (code, output, error) = await Run("index");
        var (again, second, _) = await Run("index");

        Assert.True(code == 0, output + error);
        Assert.True(output.Contains($"Source {site.Url("feed.xml")}: 5 listed, 5 added, 0 updated, 0 unchanged, 0 failed", StringComparison.Ordinal), output);
        Assert.Contains(": 10 articles,", output, StringComparison.Ordinal);
        Assert.Equal(0, again);
        Assert.Contains($"Source {site.Url("feed.xml")}: 0 listed", second, StringComparison.Ordinal); // 304
        Assert.Empty(error);
    }

    [Fact]
    public async Task Ask_indexes_on_first_use_and_answers_with_sources()
    {
        var (code, output, _) = await Run("ask", "Avec quel président iranien Poutine a-t-il tenu une conférence de presse ?");

        Assert.Equal(0, code);
        Assert.Contains("Rohani", output, StringComparison.Ordinal);
        Assert.Contains("Sources :", output, StringComparison.Ordinal);
        Assert.Contains("(001_fed1096211e3137f)", output, StringComparison.Ordinal);
        Assert.True(File.Exists(_root.Combine("data", "chatbot.db")), "relative paths resolve against the folder of appsettings.json");
    }

    [Fact]
    public async Task Ask_json_has_the_documented_shape()
    {
        var (code, output, _) = await Run("ask", "Quand l'accord historique sur le programme nucléaire iranien a-t-il été signé ?", "--json", "--top-k", "3");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("grounded").GetBoolean());
        Assert.Contains("juillet 2015", root.GetProperty("answer").GetString(), StringComparison.Ordinal);
        var citation = root.GetProperty("citations")[0];
        Assert.Equal(1, citation.GetProperty("n").GetInt32());
        Assert.Equal("002_4fced6dc993173a8", citation.GetProperty("articleId").GetString());
        Assert.Equal("AFP", citation.GetProperty("source").GetString());
        // The article's only date is the site's clock when the page was saved ("24-11-2024 02:55 AM Jerusalem Timing"): undated.
        Assert.Equal(JsonValueKind.Null, citation.GetProperty("published").ValueKind);
        Assert.False(string.IsNullOrEmpty(citation.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(citation.GetProperty("quote").GetString()));
        var timings = root.GetProperty("timings");
        Assert.True(timings.GetProperty("retrievalMs").GetDouble() > 0);
        Assert.True(timings.GetProperty("totalMs").GetDouble() >= timings.GetProperty("retrievalMs").GetDouble());
        Assert.Equal("Quand l'accord historique sur le programme nucléaire iranien a-t-il été signé ?", root.GetProperty("question").GetString());
    }

    [Theory]
    [InlineData("ask", "")]
    [InlineData("ask", "   ")]
    [InlineData("ask", "question", "--unknown")]
    [InlineData("ask", "question", "--top-k", "0")]
    [InlineData("ask", "question", "--top-k", "zero")]
    [InlineData("search", "question", "--top-k", "1.5")]
    [InlineData("ask")]
    [InlineData("frobnicate")]
    [InlineData("eval")]
    public async Task Usage_errors_exit_with_2(params string[] args)
    {
        var (code, _, error) = await Run(args);

        Assert.Equal(2, code);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_starting_with_at_is_a_question_not_a_response_file()
    {
        var (code, output, error) = await Run("ask", "@CorpusBot salut, dans quelle région de l'Iran se trouve Hamedan ?");

        Assert.Equal(0, code);
        Assert.Equal("", error.Trim());
        Assert.Contains("nord-ouest", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_that_does_not_convert_is_one_line_naming_it_and_its_environment_form()
    {
        File.WriteAllText(_root.Combine("appsettings.json"), """{ "ChatBot": { "Corpus": { "Path": "corpus" }, "Store": { "Path": "data/chatbot.db" }, "Retrieval": { "TopK": "abc" } } }""");

        var (code, _, error) = await Run("ask", "Où se trouve Hamedan ?");

        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: invalid setting", line, StringComparison.Ordinal);
        Assert.Contains("ChatBot:Retrieval:TopK", line, StringComparison.Ordinal);
        Assert.Contains("ChatBot__Retrieval__TopK", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_corpus_is_a_runtime_error_with_a_clear_message()
    {
        foreach (var file in Directory.GetFiles(_root.Combine("corpus")))
            File.Delete(file);

        var (code, _, error) = await Run("ask", "Qui est Poutine ?");

        Assert.Equal(1, code);
        Assert.Contains("has no articles", error, StringComparison.Ordinal);
        Assert.Contains(_root.Combine("corpus"), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_index_names_the_file_and_rebuild_repairs_it()
    {
        Directory.CreateDirectory(_root.Combine("data"));
        File.WriteAllText(_root.Combine("data", "chatbot.db"), "garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage");

        var (code, _, error) = await Run("ask", "Qui est Poutine ?");
        var rebuild = await Run("index", "--rebuild");
        var after = await Run("ask", "Dans quelle région de l'Iran se trouve Hamedan ?");

        Assert.Equal(1, code);
        Assert.Contains(_root.Combine("data", "chatbot.db"), error, StringComparison.Ordinal);
        Assert.Contains("index --rebuild", error, StringComparison.Ordinal);
        Assert.Equal(0, rebuild.Code);
        Assert.Contains("5 articles", rebuild.Out, StringComparison.Ordinal);
        Assert.Equal(0, after.Code);
        Assert.Contains("nord-ouest", after.Out, StringComparison.Ordinal);
        // The damaged file was set aside, not deleted.
        var aside = Assert.Single(Directory.GetFiles(_root.Combine("data"), "chatbot.db.unusable-*"));
        Assert.StartsWith("garbage", File.ReadAllText(aside), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuild_embeds_every_article_again_and_keeps_conversations_feedback_and_the_inbox()
    {
        Assert.Equal(0, (await Run("index")).Code);
        var database = _root.Combine("data", "chatbot.db");
        await using (var bot = new TestBot(seedCorpus: false))
        {
            bot.Settings["ChatBot:Store:Path"] = database;
            bot.Settings["ChatBot:Corpus:Path"] = _root.Combine("corpus");
            var services = bot.Services;
            await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ChatBot.Core.Conversation.Memory.IConversationStore>(services)
                .SaveAsync("telegram", "42", ["7"], [new ChatBot.Core.Answering.Chat.ChatTurn("Où est Hamedan ?", "Au nord-ouest.")], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
            await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ChatBot.Core.Conversation.Inbox.DurableInbox>(services)
                .AcceptAsync("telegram", "99", "Message", "{}", TestContext.Current.CancellationToken);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var rebuild = await Run("index", "--rebuild");

        Assert.Equal(0, rebuild.Code);
        Assert.Contains("5 updated", rebuild.Out, StringComparison.Ordinal); // every article embedded again
        await using var after = new TestBot(seedCorpus: false);
        after.Settings["ChatBot:Store:Path"] = database;
        after.Settings["ChatBot:Corpus:Path"] = _root.Combine("corpus");
        var kept = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ChatBot.Core.Conversation.Memory.IConversationStore>(after.Services)
            .LoadAsync("telegram", "42", "7", TestContext.Current.CancellationToken);
        Assert.Equal("Où est Hamedan ?", Assert.Single(kept!.Value.Turns).Question);
        Assert.Equal(["99"], InboxProbe.Keys(database, "telegram"));
    }

    [Fact]
    public async Task The_shipped_appsettings_json_is_valid_and_works_offline()
    {
        File.Copy(Path.Combine(Fixture.Root, "shipped", "appsettings.json"), _root.Combine("appsettings.json"), overwrite: true);

        var (code, output, error) = await Run("ask", "Dans quelle région de l'Iran se trouve Hamedan ?");

        Assert.True(code == 0, error);
        Assert.Contains("nord-ouest", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_setting_stops_with_a_message_naming_it()
    {
        File.WriteAllText(_root.Combine("appsettings.json"), """{ "ChatBot": { "Retrieval": { "TopK": 0 } } }""");

        var (code, _, error) = await Run("ask", "Qui est Poutine ?");

        Assert.Equal(1, code);
        Assert.Contains("ChatBot:Retrieval", error, StringComparison.Ordinal);
        Assert.Contains("TopK", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Schedule", "every morning", "ChatBot:Digest:Schedule 'every morning' is not a valid cron expression")]
    [InlineData("TimeZone", "Mars/Olympus_Mons", "ChatBot:Digest:TimeZone 'Mars/Olympus_Mons' is not a known IANA time zone")]
    public async Task An_invalid_digest_schedule_or_time_zone_stops_start_up_naming_the_setting(string setting, string value, string message)
    {
        File.WriteAllText(_root.Combine("appsettings.json"), $$"""{ "ChatBot": { "Digest": { "{{setting}}": "{{value}}" } } }""");

        var (code, _, error) = await Run("ask", "Qui est Poutine ?");

        Assert.Equal(1, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_and_digest_dry_run_print_to_the_console()
    {
        var summary = await Run("summary", "coopération militaire Russie Iran");
        var digest = await Run("digest", "--dry-run");
        var withoutDryRun = await Run("digest");

        Assert.Equal(0, summary.Code);
        Assert.Contains("Ce que le corpus dit de « coopération militaire Russie Iran » :", summary.Out, StringComparison.Ordinal);
        Assert.Contains("[2]", summary.Out, StringComparison.Ordinal);
        Assert.Equal(0, digest.Code);
        Assert.Contains("Nouveaux articles depuis le", digest.Out, StringComparison.Ordinal);
        Assert.Contains("[5] ", digest.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Sources :", digest.Out, StringComparison.Ordinal); // each entry already names its article
        Assert.Equal(2, withoutDryRun.Code);
    }

    [Fact]
    public async Task Digest_dry_run_for_a_target_never_posted_to_says_it_starts_with_a_baseline_and_a_malformed_target_is_refused()
    {
        var fresh = await Run("digest", "--dry-run", "--target", "telegram:-1001234567890");
        var malformed = await Run("digest", "--dry-run", "--target", "foo:bar");

        Assert.Equal(0, fresh.Code);
        Assert.StartsWith("Pas encore de résumé pour telegram:-1001234567890", fresh.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Nouveaux articles", fresh.Out, StringComparison.Ordinal);
        Assert.Equal(2, malformed.Code);
        Assert.Equal("error: --target 'foo:bar' must be 'telegram:<chat id>' or 'discord:<channel id>' (as in ChatBot:Digest:Targets).", malformed.Err.Trim());
    }

    [Fact]
    public async Task Index_reports_counts_and_corpus_option_points_elsewhere()
    {
        var other = _root.Combine("other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "one.md"), "# Un seul article\n\nLa Russie et l'Iran ont signé un traité de partenariat stratégique global.\n");

        var (code, output, _) = await Run("index", "--corpus", other);

        Assert.Equal(0, code);
        Assert.Contains("1 articles", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_json_lists_ranked_passages_with_scores()
    {
        var (code, output, _) = await Run("search", "batteries antiaériennes S-300", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var results = json.RootElement.GetProperty("results");
        Assert.Equal("002_4fced6dc993173a8", results[0].GetProperty("articleId").GetString());
        var scores = results.EnumerateArray().Select(r => r.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        // Each stage's score for debugging a bad answer, and how the question was read.
        var stages = results[0].GetProperty("stages");
        Assert.True(stages.GetProperty("lexical").GetDouble() > 0);
        Assert.Equal(results[0].GetProperty("score").GetDouble(), stages.GetProperty("rerank").GetDouble() + stages.GetProperty("boost").GetDouble(), 3);
        Assert.Contains(json.RootElement.GetProperty("understood").GetProperty("concepts").EnumerateArray(), c => c.GetProperty("word").GetString() == "300");
        Assert.True(json.RootElement.GetProperty("stageMs").TryGetProperty("rerank", out _));
    }

    [Fact]
    public async Task Eval_scores_answer_sets_and_retrieval_sets()
    {
        var answers = _root.Combine("answers.json");
        File.WriteAllText(answers, """[{"question": "Dans quelle région de l'Iran se trouve Hamedan ?", "gold_articles": ["000_47b6786323e8e5c6"], "expect_any": ["nord-ouest"]}, {"question": "Qui est le président du Brésil ?", "gold_articles": [], "expect_any": []}]""");
        var retrieval = _root.Combine("retrieval.json");
        File.WriteAllText(retrieval, """
            [{"question": "Quelles technologies militaires Moscou fournit-elle à Téhéran ?", "gold": "004_d14a4ba0e42e9e1f", "answers": ["guerre électronique"]},
             {"question": "Quel âge a Khamenei ?", "gold": "004_d14a4ba0e42e9e1f", "answers": ["86 ans"]},
             {"question": "Qui est le président du Brésil ?", "gold": null, "answers": []}]
            """);

        var answerRun = await Run("eval", "--questions", answers);
        var retrievalRun = await Run("eval", "--questions", retrieval, "--json");

        Assert.Equal(0, answerRun.Code);
        Assert.Contains("2 questions: 1 answered correctly, 1 declined correctly, 0 wrong", answerRun.Out, StringComparison.Ordinal);
        Assert.Equal(0, retrievalRun.Code);
        using var json = JsonDocument.Parse(retrievalRun.Out);
        var scores = json.RootElement;
        // The retrieval keys are kept; the answer measures come with them.
        Assert.Equal(2, scores.GetProperty("questions").GetInt32());
        Assert.Equal(1.0, scores.GetProperty("recallAt5").GetDouble());
        Assert.True(scores.TryGetProperty("recallAt1", out _) && scores.TryGetProperty("mrrAt10", out _) && scores.TryGetProperty("declinedShare", out _));
        Assert.Equal(1.0, scores.GetProperty("answerInReply").GetDouble());
        Assert.Equal(1.0, scores.GetProperty("answerInLead").GetDouble());
        Assert.Equal(0.5, scores.GetProperty("shortAnswerShare").GetDouble()); // "86 ans"
        Assert.Equal(0.5, scores.GetProperty("shortAnswerExactMatch").GetDouble());
        Assert.Equal(1, scores.GetProperty("unanswerable").GetInt32());
        Assert.Equal(1.0, scores.GetProperty("unanswerableDeclinedShare").GetDouble());
    }

    [Fact]
    public async Task Chat_answers_each_piped_line_until_end_of_input()
    {
        var (code, output, _) = await RunWithInput("Dans quelle région de l'Iran se trouve Hamedan ?\n\nQui est le président du Brésil ?\n", "chat");

        Assert.Equal(0, code);
        Assert.Contains("nord-ouest", output, StringComparison.Ordinal);
        Assert.Contains("Le corpus ne permet pas de répondre", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_remembers_the_conversation_so_a_follow_up_asks_about_the_article_just_cited()
    {
        var (code, output, _) = await RunWithInput("Dans quelle région de l'Iran se trouve Hamedan ?\nEt qui l'a rapporté ?\n", "chat");

        Assert.Equal(0, code);
        Assert.Contains("vient de Euronews", output, StringComparison.Ordinal);
        Assert.DoesNotContain("**", output, StringComparison.Ordinal); // plain text when not a terminal
    }

    [Fact]
    public async Task Train_ranker_writes_weights_reproducibly_with_the_command_and_data_that_made_them()
    {
        var corpus = Fixture.Eval("piaf-corpus.jsonl");
        var questions = _root.Combine("train.json");
        File.WriteAllText(questions, JsonSerializer.Serialize(EvalQuestionsSample()));
        var first = _root.Combine("first.json");
        var second = _root.Combine("second.json");

        var run = await Run("eval", "--train-ranker", "--questions", questions, "--corpus", corpus, "--folds", "3", "--output", first);
        await Run("eval", "--train-ranker", "--questions", questions, "--corpus", corpus, "--folds", "3", "--output", second);

        Assert.Equal(0, run.Code);
        Assert.Contains("reranked (3-fold CV by title)", run.Out, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(first), File.ReadAllText(second));
        var model = Core.Retrieval.Ranking.RankerModel.FromJson(File.ReadAllText(first));
        Assert.Equal(Core.Retrieval.Ranking.RankingFeatures.Names, model.Features);
        Assert.StartsWith("eval --train-ranker --questions train.json (sha256 ", model.Trained, StringComparison.Ordinal);
        Assert.Contains("3-fold cross-validation grouped by article title", model.Trained, StringComparison.Ordinal);
        _ = new Core.Retrieval.Ranking.LinearRanker(model); // loads
    }

    /// <summary>60 PIAF dev questions over 20 encyclopaedia entries: enough for three folds by title.</summary>
    private static List<Dictionary<string, object?>> EvalQuestionsSample()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Fixture.Eval("piaf-dev-questions.json")));
        return json.RootElement.EnumerateArray().Take(60)
            .Select(q => new Dictionary<string, object?> { ["question"] = q.GetProperty("question").GetString(), ["gold"] = q.GetProperty("gold").GetString() })
            .ToList();
    }

    [Fact]
    public async Task Index_on_a_terminal_draws_a_progress_bar_while_the_pass_runs_and_nothing_when_redirected()
    {
        File.WriteAllLines(_root.Combine("corpus", "lot.jsonl"), Enumerable.Range(1, 300).Select(i =>
            $$"""{"id": "a{{i}}", "title": "Article {{i}}", "text": "Le texte numéro {{i}} parle de la coopération entre Moscou et Téhéran."}"""));
        using var screen = new StringWriter();
        var terminal = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.Yes,
            Interactive = Spectre.Console.InteractionSupport.Yes,
            Out = new Spectre.Console.AnsiConsoleOutput(screen),
        });
        using var output = new StringWriter();
        var onTerminal = new CliApp(output, TextWriter.Null, _root.Path) { Terminal = terminal, ProgressAfter = TimeSpan.Zero };

        var code = await onTerminal.RunAsync(["index"]);
        File.WriteAllText(_root.Combine("corpus", "more.md"), "# Un autre article\n\nMoscou et Téhéran signent un accord.");
        var redirected = await Run("index");

        Assert.Equal(0, code);
        Assert.Contains("Indexing the corpus", screen.ToString(), StringComparison.Ordinal);
        Assert.Contains("%", screen.ToString(), StringComparison.Ordinal);
        Assert.Contains("305 added", output.ToString(), StringComparison.Ordinal); // the report is printed after the bar
        Assert.Equal(0, redirected.Code);
        Assert.DoesNotContain("Indexing the corpus", redirected.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", redirected.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relative_paths_point_into_the_data_directory_and_the_corpus_falls_back_to_the_sample_beside_the_app()
    {
        var data = _root.Combine("state");
        File.WriteAllText(_root.Combine("appsettings.json"), $$"""{ "ChatBot": { "DataDirectory": "{{data}}", "Corpus": { "Path": "corpus" }, "Store": { "Path": "data/chatbot.db" } } }""");

        var sample = await Run("index");
        Directory.CreateDirectory(Path.Combine(data, "corpus"));
        File.WriteAllText(Path.Combine(data, "corpus", "own.md"), "# Notre propre article\n\nMoscou et Téhéran signent un accord sur le blé.");
        var own = await Run("index");

        Assert.Equal(0, sample.Code);
        Assert.Contains($"Index {Path.Combine(data, "data", "chatbot.db")}: 5 articles", sample.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_root.Combine("data", "chatbot.db")));
        Assert.Equal(0, own.Code);
        Assert.Contains(": 1 articles,", own.Out, StringComparison.Ordinal); // the operator's corpus, once it exists
    }

    [Fact]
    public async Task Under_systemd_the_state_directory_is_the_data_directory()
    {
        var state = _root.Combine("var-lib-chatbot");
        Directory.CreateDirectory(state);
        var start = BotProcess.StartInfo(_root.Path, "index", new Dictionary<string, string> { ["STATE_DIRECTORY"] = state });
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, await output + await error);
        Assert.True(File.Exists(Path.Combine(state, "data", "chatbot.db")), await output);
        Assert.False(File.Exists(_root.Combine("data", "chatbot.db")));
    }
}
