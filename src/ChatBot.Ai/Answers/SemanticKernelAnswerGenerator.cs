using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatBot.Core.Ai;
using ChatBot.Core.Answering;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace ChatBot.Ai.Answers;

/// <summary>
/// Answers with a language model through Semantic Kernel (<c>prompts/answer.md</c>), guarded: temperature 0, a time
/// limit, citations checked against the passages (unknown <c>[n]</c> removed, renumbered in order of use, each with its
/// supporting quote from the passage). "not in the corpus" declines; an answer without a valid citation, or any
/// provider failure, falls back to the extractive answer, with a note when the model was unavailable.
/// </summary>
public sealed partial class SemanticKernelAnswerGenerator(
    Kernel kernel,
    PromptLibrary prompts,
    ExtractiveAnswerGenerator fallback,
    TextAnalyzer analyzer,
    IOptions<AiOptions> options,
    ILogger<SemanticKernelAnswerGenerator> logger) : IAnswerGenerator
{
    public const string NotInCorpus = "not in the corpus";

    private static readonly OpenAIPromptExecutionSettings Settings = new() { Temperature = 0, Seed = 7, MaxTokens = 700 };

    private readonly KernelFunction _answer = prompts.Function(kernel, "answer", Settings);

    [GeneratedRegex(@"\[(\d{1,3})\]")]
    private static partial Regex Marker();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex RepeatedSpace();

    [GeneratedRegex(@" +(?=[.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();

    public string Name => "semantic-kernel";

    public async Task<GeneratedAnswer> GenerateAsync(AnswerContext context, CancellationToken cancellationToken)
    {
        var passages = context.Retrieval.Passages;
        string text;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds * (options.Value.MaxRetries + 1) + 5));
            var arguments = new KernelArguments(Settings)
            {
                ["question"] = context.Question,
                ["passages"] = Numbered(passages, context.Language),
                ["history"] = context.History.Count == 0 ? "(none)" : string.Join("\n", context.History.Select(t => $"Q: {t.Question}\nA: {t.Answer}")),
                ["language"] = BotMessages.Get("language.name", context.Language),
            };
            var result = await kernel.InvokeAsync(_answer, arguments, timeout.Token);
            text = (result.GetValue<string>() ?? "").Trim();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, ex, ex.GetType().Name);
            var extractive = await fallback.GenerateAsync(context, cancellationToken);
            return extractive with { Notes = [BotMessages.Get("llm.unavailable", context.Language)] };
        }

        if (SaysNotInCorpus(text))
            return GeneratedAnswer.NotGrounded;
        var checkedAnswer = CheckCitations(text, passages);
        if (checkedAnswer.Citations.Count == 0)
        {
            LogUngrounded(logger);
            return await fallback.GenerateAsync(context, cancellationToken);
        }
        return checkedAnswer;
    }

    private static string Numbered(IReadOnlyList<Passage> passages, Language language)
    {
        var text = new StringBuilder();
        for (var i = 0; i < passages.Count; i++)
        {
            var p = passages[i];
            text.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {p.Title} — {p.Source ?? BotMessages.Get("source.unknown", language)}, {ReplyFormatter.FormatDate(p.Published, language)}\n");
            text.Append(p.Text.Trim()).Append("\n\n");
        }
        return text.ToString().TrimEnd();
    }

    private static bool SaysNotInCorpus(string text)
    {
        var plain = text.Trim().TrimEnd('.', '!', ' ').Trim('"', '«', '»', ' ');
        return plain.Length < NotInCorpus.Length + 20 && plain.Contains(NotInCorpus, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Drops markers that name no passage, renumbers the others by first use, and finds each one's supporting quote.</summary>
    private GeneratedAnswer CheckCitations(string text, IReadOnlyList<Passage> passages)
    {
        var order = new List<int>();
        foreach (Match match in Marker().Matches(text))
        {
            var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (n >= 1 && n <= passages.Count && !order.Contains(n))
                order.Add(n);
        }
        var cleaned = Marker().Replace(text, m =>
        {
            var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var index = order.IndexOf(n);
            return index < 0 ? "" : $"[{index + 1}]";
        });
        // A removed marker leaves its spaces behind: "claim [9]." → "claim ."
        cleaned = SpaceBeforePunctuation().Replace(RepeatedSpace().Replace(cleaned, " "), "").Trim();

        var claims = SentenceSplitter.Split(text).Select(s => s.Of(text)).ToList();
        var citations = order.Select((n, i) =>
        {
            var passage = passages[n - 1];
            var claim = string.Join(" ", claims.Where(c => c.Contains($"[{n}]", StringComparison.Ordinal)));
            return new Citation(i + 1, passage.ArticleId, passage.Title, passage.Source, passage.Published, passage.Url, SupportingQuote(passage, claim));
        }).ToList();
        return new GeneratedAnswer(cleaned, citations);
    }

    /// <summary>The passage sentence sharing most words with the claim, so a reader can check it in the original language.</summary>
    private string SupportingQuote(Passage passage, string claim)
    {
        var claimTerms = analyzer.Terms(Marker().Replace(claim, "")).ToHashSet(StringComparer.Ordinal);
        return SentenceSplitter.Split(passage.ArticleText, passage.Start, passage.End)
            .Select(s => s.Of(passage.ArticleText))
            .OrderByDescending(s => analyzer.Terms(s).Count(claimTerms.Contains))
            .ThenBy(s => s.Length)
            .FirstOrDefault() ?? "";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Language model unavailable ({Reason}); answering extractively")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Language model answer had no valid citation; answering extractively")]
    private static partial void LogUngrounded(ILogger logger);
}
