using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;

namespace ChatBot.Evaluation;

public sealed record AnswerFailure(string Question, string Expected, string Got);

public sealed record AnswerScores(int Questions, int AnsweredCorrectly, int DeclinedCorrectly, int Wrong, IReadOnlyList<AnswerFailure> Failures);

/// <summary>
/// For answerable questions: grounded, the first citation is a gold article, and an expected string is in the answer.
/// For the others: declined (passages offered as related reading may be cited, as the evaluation sets allow). A reply
/// that leads with a bold short answer is right only if that answer itself holds an expected string: a wrong bold
/// answer misleads more than none (<c>seed-dev-trust.json</c>'s rule).
/// </summary>
public static class AnswerEvaluation
{
    public static async Task<AnswerScores> RunAsync(QuestionAnswerer answerer, IReadOnlyList<EvalQuestion> questions, CancellationToken cancellationToken)
    {
        int answered = 0, declined = 0;
        var failures = new List<AnswerFailure>();
        foreach (var item in questions)
        {
            var reply = await answerer.AnswerAsync(new ChatRequest(item.Question), cancellationToken);
            var gold = item.GoldArticles ?? [];
            if (gold.Count == 0)
            {
                if (!reply.Grounded)
                    declined++;
                else
                    failures.Add(new AnswerFailure(item.Question, "declined", Describe(reply)));
                continue;
            }
            var expect = item.ExpectAny;
            var citedFirst = reply.Citations.Count > 0 && gold.Contains(reply.Citations[0].ArticleId);
            var hasExpected = expect.Count == 0 || expect.Any(e => reply.Text.Contains(e, StringComparison.OrdinalIgnoreCase));
            var boldRight = reply.ShortAnswer is not { } bold || expect.Count == 0 || expect.Any(e => bold.Contains(e, StringComparison.OrdinalIgnoreCase));
            if (reply.Grounded && citedFirst && hasExpected && boldRight)
                answered++;
            else
                failures.Add(new AnswerFailure(item.Question, $"[1] in {{{string.Join(", ", gold)}}} and one of {{{string.Join(" | ", expect)}}}", Describe(reply)));
        }
        return new AnswerScores(questions.Count, answered, declined, failures.Count, failures);
    }

    private static string Describe(ChatReply reply) =>
        reply.Grounded
            ? $"[1] {reply.Citations[0].ArticleId}: {reply.Text}"
            : $"declined: {reply.Text}";
}
