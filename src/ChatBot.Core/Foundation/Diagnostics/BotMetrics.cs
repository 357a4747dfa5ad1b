using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChatBot.Core.Foundation.Diagnostics;

/// <summary>
/// The bot's measurements, through <see cref="System.Diagnostics.Metrics"/>: recorded always (a counter nobody listens
/// to costs a branch), exported only when an exporter listens to the <see cref="MeterName"/> meter (the Prometheus
/// endpoint of <c>ChatBot:Observability:Listen</c>). Prometheus names are these with dots as underscores, the unit
/// (<c>_seconds</c>) and <c>_total</c> for counters: <c>chatbot_questions_total</c>,
/// <c>chatbot_answer_duration_seconds</c>. Tags are low-cardinality: the platform, an outcome, a stage name.
/// </summary>
public sealed class BotMetrics : IDisposable
{
    public const string MeterName = "ChatBot";

    /// <summary>The traces of an answer's stages (understand, candidates, rerank, evidence, generate).</summary>
    public static readonly ActivitySource Traces = new(MeterName);

    private readonly Meter _meter;
    private readonly Counter<long> _questions;
    private readonly Counter<long> _declines;
    private readonly Histogram<double> _answerSeconds;
    private readonly Histogram<double> _stageSeconds;
    private readonly Counter<long> _parked;
    private readonly Counter<long> _ingestedArticles;
    private readonly Counter<long> _ingestFailures;
    private readonly Counter<long> _sourceFetches;
    private readonly ConcurrentDictionary<string, Func<int>> _queues = new(StringComparer.Ordinal);
    private Func<IEnumerable<(string Platform, int Count)>> _inbox = () => [];
    private Func<IEnumerable<(string Platform, int Restarts)>> _adapters = () => [];

    public BotMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _questions = _meter.CreateCounter<long>("chatbot.questions", "{question}", "Questions answered or declined, by platform and outcome (answered, related, declined, other).");
        _declines = _meter.CreateCounter<long>("chatbot.declines", "{question}", "Questions the corpus does not answer, by platform and kind (related: a passage offered as reading; none).");
        _answerSeconds = _meter.CreateHistogram<double>("chatbot.answer.duration", "s", "Time from question to reply, by platform and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _stageSeconds = _meter.CreateHistogram<double>("chatbot.retrieval.stage.duration", "s", "Time spent in each retrieval stage, by stage.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
        _meter.CreateObservableCounter("chatbot.adapter.restarts", () => _adapters().Select(a => new Measurement<long>(a.Restarts, new KeyValuePair<string, object?>("platform", a.Platform))).ToList(),
            "{restart}", "Chat adapters restarted after a failure, by platform.");
        _parked = _meter.CreateCounter<long>("chatbot.inbox.parked", "{update}", "Updates set aside for good (unreadable, or failing every time), by platform.");
        _ingestedArticles = _meter.CreateCounter<long>("chatbot.ingest.articles", "{article}", "Articles added, changed or removed in the index, by change.");
        _ingestFailures = _meter.CreateCounter<long>("chatbot.ingest.failures", "{file}", "Files or pages skipped as unreadable.");
        _sourceFetches = _meter.CreateCounter<long>("chatbot.source.fetches", "{request}", "Web source requests, by outcome (fetched, not_modified, failed).");
        _meter.CreateObservableGauge("chatbot.inbox.pending", () => _inbox().Select(i => new Measurement<int>(i.Count, new KeyValuePair<string, object?>("platform", i.Platform))).ToList(),
            "{update}", "Updates accepted and not yet answered by this process, by platform.");
        _meter.CreateObservableGauge("chatbot.queue.depth", () => Observe(_queues), "{update}", "Updates waiting or running in the adapter's queue, by platform.");
    }

    public void Question(string platform, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "platform", platform }, { "outcome", outcome } };
        _questions.Add(1, tags);
        _answerSeconds.Record(elapsed.TotalSeconds, tags);
    }

    public void Declined(string platform, string kind) => _declines.Add(1, new TagList { { "platform", platform }, { "kind", kind } });

    public void Stage(string stage, double milliseconds) => _stageSeconds.Record(milliseconds / 1000, new KeyValuePair<string, object?>("stage", stage));

    public void Parked(string platform) => _parked.Add(1, new KeyValuePair<string, object?>("platform", platform));

    public void Ingested(int added, int changed, int removed, int failed)
    {
        if (added > 0)
            _ingestedArticles.Add(added, new KeyValuePair<string, object?>("change", "added"));
        if (changed > 0)
            _ingestedArticles.Add(changed, new KeyValuePair<string, object?>("change", "changed"));
        if (removed > 0)
            _ingestedArticles.Add(removed, new KeyValuePair<string, object?>("change", "removed"));
        if (failed > 0)
            _ingestFailures.Add(failed);
    }

    public void SourceFetched(string outcome) => _sourceFetches.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Reports <paramref name="queue"/>'s depth as the queue depth of <paramref name="platform"/>; returns it.</summary>
    public Foundation.Concurrency.KeyedWorkQueue<TKey> Observed<TKey>(string platform, Foundation.Concurrency.KeyedWorkQueue<TKey> queue) where TKey : notnull
    {
        _queues[platform] = () => queue.Depth;
        return queue;
    }

    /// <summary>Where the inbox backlog is read from (the durable inbox, per platform).</summary>
    public void ObserveInbox(Func<IEnumerable<(string Platform, int Count)>> pending) => _inbox = pending;

    /// <summary>Where the adapters' restart counts are read from (the supervised adapters of the host).</summary>
    public void ObserveAdapters(Func<IEnumerable<(string Platform, int Restarts)>> adapters) => _adapters = adapters;

    private static List<Measurement<int>> Observe(ConcurrentDictionary<string, Func<int>> sources) =>
        sources.Select(s => new Measurement<int>(s.Value(), new KeyValuePair<string, object?>("platform", s.Key))).ToList();

    public void Dispose() => _meter.Dispose();
}

public static class BotMetricsServiceCollectionExtensions
{
    /// <summary>The bot's meter (once, whichever module asks first), over the host's <see cref="IMeterFactory"/>.</summary>
    public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddBotMetrics(this Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        Microsoft.Extensions.DependencyInjection.MetricsServiceExtensions.AddMetrics(services);
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<BotMetrics>(services);
        return services;
    }
}
