using System.Diagnostics;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Retrieval;

namespace ChatBot.Evaluation;

/// <summary>
/// A gold set's scores. Retrieval: recall@1/5/10 and MRR@10 of the gold article among the distinct articles retrieved,
/// timings. Answers (the whole bot, as <c>ask</c> answers): <see cref="DeclinedShare"/> of the answerable questions
/// declined; <see cref="AnswerInReply"/>, a gold answer anywhere in the reply; <see cref="AnswerInLead"/>, in the short
/// answer or, without one, the first quote; <see cref="ShortAnswerShare"/>, replies with a short answer, and its
/// <see cref="ShortAnswerExactMatch"/> and <see cref="ShortAnswerF1"/> over all answerable questions (0 without one).
/// <see cref="UnanswerableDeclinedShare"/>: of the questions whose gold is null, the share declined.
/// </summary>
public sealed record RetrievalScores(
    int Questions, double RecallAt1, double RecallAt5, double RecallAt10, double MrrAt10, double DeclinedShare,
    double MeanMs, double P50Ms, double P95Ms)
{
    public double AnswerInReply { get; init; }
    public double AnswerInLead { get; init; }
    public double AnswerInFirstQuote { get; init; }
    public double ShortAnswerShare { get; init; }
    public double ShortAnswerExactMatch { get; init; }
    public double ShortAnswerF1 { get; init; }

    /// <summary>Of the replies that lead with a bold short answer, the share whose bold span holds a gold answer.</summary>
    public double BoldPrecision { get; init; }

    /// <summary>
    /// The same, counting also a bold span that a gold answer holds whole: PIAF's gold answers often carry the words
    /// around the answer ("aux Tuileries", "environ 60 frères"), which a short answer leaves out.
    /// </summary>
    public double BoldPrecisionLenient { get; init; }

    /// <summary>The bold answers that hold no gold answer: question, bold span, the gold answers (in <c>--json</c>).</summary>
    public IReadOnlyList<string> WrongBold { get; init; } = [];
    /// <summary>
    /// The bold rule's rival threshold chosen by cross-validation grouped by article (<see cref="BoldCalibration"/>):
    /// the precision and share of bold answers it gives on held-out articles, each fold's threshold, and the one chosen on all.
    /// </summary>
    public double BoldPrecisionCrossValidated { get; init; }
    public double ShortAnswerShareCrossValidated { get; init; }
    public IReadOnlyList<double> BoldRivalFoldThetas { get; init; } = [];
    public double BoldRivalTheta { get; init; }
    public int Unanswerable { get; init; }
    public double UnanswerableDeclinedShare { get; init; }
}

public static class RetrievalEvaluation
{
    public static async Task<RetrievalScores> RunAsync(Retriever retriever, QuestionAnswerer? answerer, IReadOnlyList<EvalQuestion> questions, CancellationToken cancellationToken)
    {
        var answerable = questions.Where(q => q.Gold is not null).ToList();
        var unanswerable = questions.Where(q => q.Gold is null).ToList();
        int r1 = 0, r5 = 0, r10 = 0;
        double mrr = 0;
        var times = new List<double>(answerable.Count);
        if (questions.Count > 0)
            await retriever.RetrieveAsync(questions[0].Question, 10, cancellationToken, maxChunksPerArticle: 1); // warm-up
        foreach (var item in answerable)
        {
            var clock = Stopwatch.StartNew();
            var result = await retriever.RetrieveAsync(item.Question, 10, cancellationToken, maxChunksPerArticle: 1);
            times.Add(clock.Elapsed.TotalMilliseconds);
            var ranking = result.Passages.Select(p => p.ArticleId).Distinct().ToList();
            var rank = ranking.IndexOf(item.Gold!) + 1;
            if (rank == 1) r1++;
            if (rank is > 0 and <= 5) r5++;
            if (rank is > 0 and <= 10)
            {
                r10++;
                mrr += 1.0 / rank;
            }
        }

        int declined = 0, inReply = 0, inLead = 0, inQuote = 0, withShort = 0, exact = 0, boldRight = 0, boldWithin = 0;
        double f1 = 0;
        var wrongBold = new List<string>();
        var checks = new List<BoldCalibration.Bold>();
        foreach (var item in answerer is null ? [] : answerable)
        {
            var reply = await answerer!.AnswerAsync(new ChatRequest(item.Question), cancellationToken);
            if (!reply.Grounded)
            {
                declined++;
                continue;
            }
            var answers = item.Answers;
            if (reply.BoldCheck is { } check)
                checks.Add(new(ArticleOf(item.Gold!), check.Rival, AnswerMetrics.Contains(check.Answer, answers)));
            if (AnswerMetrics.Contains(reply.Text, answers))
                inReply++;
            var quote = reply.Citations.Count > 0 ? reply.Citations[0].Quote : "";
            if (AnswerMetrics.Contains(reply.ShortAnswer ?? quote, answers))
                inLead++;
            if (AnswerMetrics.Contains(quote, answers))
                inQuote++;
            if (reply.ShortAnswer is { } shortAnswer)
            {
                withShort++;
                if (AnswerMetrics.ExactMatch(shortAnswer, answers))
                    exact++;
                if (AnswerMetrics.Contains(shortAnswer, answers))
                    boldRight++;
                else
                    wrongBold.Add($"{item.Question} | {shortAnswer} | {string.Join(" / ", answers)}");
                if (AnswerMetrics.Contains(shortAnswer, answers) || answers.Any(a => AnswerMetrics.Contains(a, [shortAnswer])))
                    boldWithin++;
                f1 += AnswerMetrics.F1(shortAnswer, answers);
            }
        }
        var unanswerableDeclined = 0;
        foreach (var item in answerer is null ? [] : unanswerable)
        {
            if (!(await answerer!.AnswerAsync(new ChatRequest(item.Question), cancellationToken)).Grounded)
                unanswerableDeclined++;
        }

        double n = Math.Max(1, answerable.Count);
        times.Sort();
        var cv = BoldCalibration.CrossValidate(checks, answerable.Count);
        return new RetrievalScores(answerable.Count, r1 / n, r5 / n, r10 / n, mrr / n, declined / n,
            times.Count == 0 ? 0 : times.Average(), Percentile(times, 0.5), Percentile(times, 0.95))
        {
            AnswerInReply = inReply / n,
            AnswerInLead = inLead / n,
            AnswerInFirstQuote = inQuote / n,
            ShortAnswerShare = withShort / n,
            ShortAnswerExactMatch = exact / n,
            ShortAnswerF1 = f1 / n,
            BoldPrecision = withShort == 0 ? 0 : (double)boldRight / withShort,
            WrongBold = wrongBold,
            BoldPrecisionCrossValidated = cv.Precision,
            ShortAnswerShareCrossValidated = cv.Share,
            BoldRivalFoldThetas = cv.FoldThetas,
            BoldRivalTheta = cv.Theta,
            BoldPrecisionLenient = withShort == 0 ? 0 : (double)boldWithin / withShort,
            Unanswerable = unanswerable.Count,
            UnanswerableDeclinedShare = unanswerable.Count == 0 ? 0 : (double)unanswerableDeclined / unanswerable.Count,
        };
    }

    /// <summary>PIAF paragraph ids are "&lt;article&gt;-&lt;paragraph&gt;": the article is the id without its last part.</summary>
    private static string ArticleOf(string paragraph)
    {
        var dash = paragraph.LastIndexOf('-');
        return dash > 0 ? paragraph[..dash] : paragraph;
    }

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
