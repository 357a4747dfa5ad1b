using System.Globalization;
using System.Text;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;
using static ChatBot.OperatorConsole.Pages.Html;

namespace ChatBot.OperatorConsole.Pages;

/// <summary>The bodies of the console's pages, rendered from <see cref="ConsoleData"/>'s records.</summary>
internal static class ConsolePages
{
    public static string Login(ConsoleLanguage l, bool refused) =>
        Layout(l, "/login", ConsoleText.Get("login.title", l),
            (refused ? $"<p class=\"bad\" id=\"refused\">{T(l, "login.refused")}</p>" : "") +
            $"<section><form method=\"post\" action=\"/login\"><label>{T(l, "login.token")} <input type=\"password\" name=\"token\" autocomplete=\"current-password\" required></label> " +
            $"<button type=\"submit\">{T(l, "login.submit")}</button></form></section>", null);

    public static string Health(ConsoleLanguage l, Health h, ConsoleSession session)
    {
        var b = new StringBuilder();
        b.Append("<section id=\"platforms\"><h2>").Append(T(l, "health.platforms")).Append("</h2>");
        if (h.Adapters.Count == 0)
            b.Append("<p class=\"muted\">").Append(T(l, "health.none")).Append("</p>");
        foreach (var a in h.Adapters)
        {
            b.Append("<h3>").Append(E(a.Platform)).Append(" — <span class=\"state\">").Append(E(ConsoleText.GetOr("state." + a.State, l, a.State.ToString()))).Append("</span></h3><table>");
            b.Append("<tr><th>").Append(T(l, "health.restarts")).Append("</th><td>").Append(a.Restarts).Append("</td></tr>");
            foreach (var (label, value) in a.Details)
                b.Append("<tr><th>").Append(E(ConsoleText.GetOr("detail." + label, l, label))).Append("</th><td>").Append(E(value)).Append("</td></tr>");
            b.Append("</table>");
            if (a.ParkedBecause is not null)
                b.Append("<p class=\"bad\">").Append(T(l, "health.parked", a.ParkedBecause)).Append("</p>");
            if (a.RestartDue is { } due)
                b.Append("<p>").Append(T(l, "health.restart_due", Time(due))).Append("</p>");
        }
        b.Append("<p id=\"parked\"").Append(h.Parked.Count > 0 ? " class=\"bad\">" : ">")
            .Append(h.Parked.Count == 0 ? T(l, "health.inbox_clean") : T(l, "health.inbox_parked", h.Parked.Count, h.Parked.LastReason ?? "–", h.Parked.LastAt is { } at ? Time(at) : "–"))
            .Append("</p>");
        b.Append("</section><section id=\"index\"><h2>").Append(T(l, "health.index")).Append("</h2><table>")
            .Append("<tr><th>").Append(T(l, "health.articles")).Append("</th><td>").Append(h.Index.Articles).Append("</td></tr>")
            .Append("<tr><th>").Append(T(l, "health.chunks")).Append("</th><td>").Append(h.Index.Chunks).Append("</td></tr>")
            .Append("<tr><th>").Append(T(l, "health.last_pass")).Append("</th><td>");
        if (h.LastPass is { } pass)
        {
            var r = pass.Report;
            b.Append(E(Time(pass.At))).Append(" — ").Append(T(l, "health.pass", r.Files, r.Added, r.Updated, r.Removed, r.Unchanged, $"{r.Elapsed.TotalSeconds:0.0} s"));
        }
        else
        {
            b.Append(T(l, "health.no_pass"));
        }
        b.Append("</td></tr></table>");
        if (h.LastPass is { Report.Warnings.Count: > 0 } warned)
        {
            b.Append("<h3>").Append(T(l, "health.skipped")).Append("</h3><ul>");
            foreach (var w in warned.Report.Warnings)
                b.Append("<li><code>").Append(E(w.Path)).Append("</code>: ").Append(E(w.Message)).Append("</li>");
            b.Append("</ul>");
        }
        if (h.Sources.Count > 0)
        {
            b.Append("<h3 id=\"sources\">").Append(T(l, "health.sources")).Append("</h3><table><tr><th>").Append(T(l, "health.source")).Append("</th><th>")
                .Append(T(l, "health.articles")).Append("</th><th>").Append(T(l, "health.source_ok")).Append("</th><th>").Append(T(l, "health.source_error"))
                .Append("</th><th>").Append(T(l, "health.source_next")).Append("</th></tr>");
            foreach (var s in h.Sources)
            {
                b.Append(s.LastError is null ? "<tr>" : "<tr class=\"bad\">")
                    .Append("<td><code>").Append(E(s.Url)).Append("</code></td><td>").Append(s.Articles).Append("</td><td>")
                    .Append(s.LastSuccess is { } ok ? E(Time(ok)) : "–").Append("</td><td>")
                    .Append(s.LastError is { } error ? E(error) + (s.ConsecutiveFailures > 1 ? $" (×{s.ConsecutiveFailures})" : "") : "–").Append("</td><td>")
                    .Append(s.NextTry is { } next ? E(Time(next)) : "–").Append("</td></tr>");
            }
            b.Append("</table>");
        }
        b.Append("<form method=\"post\" action=\"/reindex\">").Append(Csrf(session)).Append("<button type=\"submit\" id=\"reindex\">").Append(T(l, "health.reindex")).Append("</button></form></section>");

        b.Append("<section id=\"digest\"><h2>").Append(T(l, "health.digest")).Append("</h2>");
        if (!h.DigestConfigured || h.Digests.Count == 0)
            b.Append("<p class=\"muted\">").Append(T(l, "health.digest_off")).Append("</p>");
        else
        {
            b.Append("<table><tr><th>").Append(T(l, "health.digest_target")).Append("</th><th>").Append(T(l, "health.digest_last")).Append("</th><th>")
                .Append(T(l, "health.digest_current")).Append("</th><th>").Append(T(l, "health.digest_next")).Append("</th></tr>");
            foreach (var d in h.Digests)
            {
                var current = d.Current is { } c ? $"{Time(c.Period)}: {c.State}, {c.Attempts} × {(c.NextAttemptAt is { } n ? "→ " + Time(n) : "")}" : "–";
                b.Append("<tr><td>").Append(E(d.Target)).Append("</td><td>").Append(E(Time(d.LastPosted))).Append("</td><td>").Append(E(current)).Append("</td><td>").Append(E(Time(d.Next))).Append("</td></tr>");
            }
            b.Append("</table>");
        }
        b.Append("</section><section id=\"model\"><h2>").Append(T(l, "health.model")).Append("</h2>");
        if (!h.Model.Configured)
            b.Append("<p>").Append(T(l, "health.model_off")).Append("</p>");
        else
        {
            b.Append("<p>").Append(E(h.Model.Provider)).Append(" · ").Append(E(h.Model.ChatModel)).Append(" · <code>").Append(E(h.Model.Endpoint)).Append("</code></p><p>")
                .Append(h.Model.LastError is { } e ? T(l, "health.model_error", Time(e.At), e.Message) : T(l, "health.model_ok")).Append("</p>");
        }
        b.Append("</section>");
        return Layout(l, "/", ConsoleText.Get("nav.health", l), b.ToString(), session);
    }

    public static string Reindexed(ConsoleLanguage l, Core.Ingestion.IngestionReport r, IndexCounts counts, ConsoleSession session) =>
        Layout(l, "/", ConsoleText.Get("health.reindex", l), $"<section><p id=\"reindexed\">{T(l, "reindex.done", r.Added, r.Updated, r.Removed, r.Unchanged, counts.Articles, counts.Chunks)}</p></section>", session);

    public static string Questions(ConsoleLanguage l, QuestionStats s, int days, bool showsText, ConsoleSession session)
    {
        var b = new StringBuilder();
        if (!showsText)
            b.Append("<p class=\"muted\" id=\"private\">").Append(T(l, "private")).Append("</p>");
        b.Append("<section><p id=\"summary\">").Append(T(l, "questions.summary", s.Questions, days, Percent(s.DeclinedShare), Number(s.P50Ms), Number(s.P95Ms), Percent(s.PositiveShare), s.Votes)).Append("</p></section>");
        var perDay = s.Days.GroupBy(d => d.Day).OrderBy(g => g.Key).ToList();
        b.Append("<section><h2>").Append(T(l, "questions.volume")).Append("</h2>")
            .Append(Charts.Bars("volume-chart", ConsoleText.Get("questions.volume", l),
                perDay.Select(g => (g.Key, new double[] { g.Sum(d => d.Questions - d.Declined), g.Sum(d => d.Declined) })).ToList(),
                [ConsoleText.Get("questions.answered", l), ConsoleText.Get("questions.declined", l)], ["#2d5d8a", "#c0703a"], stacked: true))
            .Append("</section><section><h2>").Append(T(l, "questions.latency")).Append("</h2>")
            .Append(Charts.Bars("latency-chart", ConsoleText.Get("questions.latency", l),
                perDay.Select(g => (g.Key, new double[] { g.Max(d => d.P50Ms), g.Max(d => d.P95Ms) })).ToList(),
                ["p50", "p95"], ["#4f8f5b", "#8a3d7a"], stacked: false))
            .Append("</section><section><h2>").Append(T(l, "questions.table")).Append("</h2>");
        if (s.Days.Count == 0)
            b.Append("<p class=\"muted\">").Append(T(l, "questions.none")).Append("</p>");
        else
        {
            b.Append("<table id=\"per-day\"><tr><th>").Append(T(l, "questions.day")).Append("</th><th>").Append(T(l, "questions.platform")).Append("</th><th>")
                .Append(T(l, "questions.count")).Append("</th><th>").Append(T(l, "questions.declined")).Append("</th><th>p50</th><th>p95</th></tr>");
            foreach (var d in s.Days)
            {
                b.Append(CultureInfo.InvariantCulture, $"<tr><td>{d.Day:yyyy-MM-dd}</td><td>{E(d.Platform)}</td><td>{d.Questions}</td><td>{d.Declined}</td><td>{Number(d.P50Ms)} ms</td><td>{Number(d.P95Ms)} ms</td></tr>");
            }
            b.Append("</table>");
        }
        b.Append("</section>");
        return Layout(l, "/questions", ConsoleText.Get("nav.questions", l), b.ToString(), session);
    }

    public static string Gaps(ConsoleLanguage l, IReadOnlyList<ContentGap> gaps, IReadOnlyDictionary<string, Article> articles, bool showsText, ConsoleSession session)
    {
        var b = new StringBuilder("<p class=\"muted\">").Append(T(l, "gaps.intro")).Append("</p>");
        if (!showsText)
            b.Append("<p class=\"muted\" id=\"private\">").Append(T(l, "private")).Append("</p>");
        else if (gaps.Count == 0)
            b.Append("<p class=\"muted\">").Append(T(l, "gaps.none")).Append("</p>");
        else
        {
            b.Append("<ol id=\"gaps\">");
            foreach (var g in gaps)
            {
                b.Append("<li class=\"gap\"><span class=\"question\">").Append(E(g.Question)).Append("</span> — <span class=\"count\">").Append(T(l, "gaps.times", g.Count)).Append("</span>");
                if (g.Variants.Count > 0)
                {
                    b.Append("<br><span class=\"muted\">").Append(T(l, "gaps.also")).Append(' ');
                    b.AppendJoin(" · ", g.Variants.Select(E));
                    b.Append("</span>");
                }
                b.Append("<br>").Append(g.ClosestArticleId is { } id && articles.TryGetValue(id, out var a)
                    ? T(l, "gaps.closest", "").TrimEnd() + $" <a href=\"/articles/{Uri.EscapeDataString(a.Id)}\">{E(a.Title)}</a>"
                    : $"<span class=\"muted\">{T(l, "gaps.no_closest")}</span>");
                b.Append("</li>");
            }
            b.Append("</ol>");
        }
        return Layout(l, "/gaps", ConsoleText.Get("nav.gaps", l), b.ToString(), session);
    }

    public static string Feedback(ConsoleLanguage l, IReadOnlyList<FeedbackVote> down, int stale, IReadOnlyDictionary<string, Article> articles, bool showsText, ConsoleSession session)
    {
        var b = new StringBuilder();
        if (!showsText)
            b.Append("<p class=\"muted\" id=\"private\">").Append(T(l, "private")).Append("</p>");
        b.Append("<section><p id=\"stale\">").Append(T(l, "feedback.stale", stale)).Append("</p></section><section><h2>").Append(T(l, "feedback.down")).Append("</h2>");
        if (down.Count == 0)
            b.Append("<p class=\"muted\">").Append(T(l, "feedback.none")).Append("</p>");
        else
        {
            b.Append("<table id=\"down-votes\"><tr><th></th><th>").Append(T(l, "feedback.question")).Append("</th><th>").Append(T(l, "feedback.answer")).Append("</th><th>").Append(T(l, "feedback.cited")).Append("</th></tr>");
            foreach (var v in down)
            {
                var hidden = $"<span class=\"muted\">{T(l, "feedback.hidden")}</span>";
                b.Append("<tr class=\"vote\"><td>").Append(E(Time(v.At))).Append("<br>").Append(E(v.Platform)).Append("</td><td>")
                    .Append(v.Question is null ? hidden : E(v.Question)).Append("</td><td>")
                    .Append(v.Answer is null ? hidden : Emphasis.Render(v.Answer.Length > 600 ? v.Answer[..600] + "…" : v.Answer, s => "<strong>" + s + "</strong>", E)).Append("</td><td>");
                b.AppendJoin("<br>", v.Citations.Select(id => articles.TryGetValue(id, out var a) ? $"<a href=\"/articles/{Uri.EscapeDataString(id)}\">{E(a.Title)}</a>" : E(id)));
                b.Append("</td></tr>");
            }
            b.Append("</table>");
        }
        b.Append("</section>");
        return Layout(l, "/feedback", ConsoleText.Get("nav.feedback", l), b.ToString(), session);
    }

    public static string Articles(ConsoleLanguage l, CatalogPage p, ConsoleSession session)
    {
        var b = new StringBuilder("<section><form method=\"get\" action=\"/articles\" role=\"search\"><input type=\"search\" name=\"q\" value=\"")
            .Append(E(p.Query)).Append("\" aria-label=\"").Append(T(l, "articles.search")).Append("\" placeholder=\"").Append(T(l, "articles.search"))
            .Append("\"> <button type=\"submit\">").Append(T(l, "articles.search")).Append("</button></form>");
        if (p.QueryCut)
            b.Append("<p class=\"muted\" id=\"cut\">").Append(T(l, "articles.cut", ConsoleData.MaxQueryLength)).Append("</p>");
        b.Append("<p id=\"article-count\">").Append(T(l, "articles.count", p.Total)).Append("</p></section><section><table id=\"articles\"><tr><th>")
            .Append(T(l, "articles.title")).Append("</th><th>").Append(T(l, "articles.source")).Append("</th><th>").Append(T(l, "articles.date")).Append("</th><th>")
            .Append(T(l, "articles.chunks")).Append("</th><th>").Append(T(l, "articles.cited")).Append("</th></tr>");
        foreach (var r in p.Rows)
        {
            var a = r.Article;
            b.Append("<tr><td><a href=\"/articles/").Append(Uri.EscapeDataString(a.Id)).Append("\">").Append(E(a.Title)).Append("</a></td><td>").Append(E(a.Source ?? "–")).Append("</td><td>")
                .Append(a.Published is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : T(l, "articles.undated")).Append("</td><td>").Append(r.Chunks).Append("</td><td>").Append(r.Cited).Append("</td></tr>");
        }
        b.Append("</table><p>").Append(T(l, "articles.page", p.Page, p.Pages));
        var q = Uri.EscapeDataString(p.Query);
        if (p.Page > 1)
            b.Append(CultureInfo.InvariantCulture, $" · <a href=\"/articles?q={q}&amp;page={p.Page - 1}\">{T(l, "articles.previous")}</a>");
        if (p.Page < p.Pages)
            b.Append(CultureInfo.InvariantCulture, $" · <a href=\"/articles?q={q}&amp;page={p.Page + 1}\">{T(l, "articles.next")}</a>");
        b.Append("</p></section>");
        return Layout(l, "/articles", ConsoleText.Get("nav.articles", l), b.ToString(), session);
    }

    public static string Article(ConsoleLanguage l, Article a, IReadOnlyList<ChunkRecord> chunks, ConsoleSession session)
    {
        var b = new StringBuilder("<section><table><tr><th>").Append(T(l, "articles.source")).Append("</th><td>").Append(E(a.Source ?? "–")).Append("</td></tr><tr><th>")
            .Append(T(l, "articles.date")).Append("</th><td>").Append(a.Published is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : T(l, "articles.undated"))
            .Append("</td></tr><tr><th>").Append(T(l, "article.path")).Append("</th><td><code>").Append(E(a.Path)).Append("</code></td></tr>");
        if (a.Url is not null)
            b.Append("<tr><th>URL</th><td>").Append(E(a.Url)).Append("</td></tr>");
        b.Append("</table></section><section><h2>").Append(T(l, "article.text")).Append("</h2>");
        foreach (var c in chunks)
            b.Append("<h3>").Append(T(l, "article.chunk", c.Ordinal + 1, c.Start, c.End)).Append("</h3><pre class=\"chunk\">").Append(E(c.Text)).Append("</pre>");
        b.Append("</section>");
        return Layout(l, "/articles", a.Title, b.ToString(), session);
    }

    public static string Message(ConsoleLanguage l, string key, ConsoleSession? session) =>
        Layout(l, "", ConsoleText.Get(key, l), $"<p>{T(l, key)}</p>", session);
}
