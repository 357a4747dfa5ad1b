namespace ChatBot.Core.Conversation.Controls;

/// <summary>What /stats reports about questions: today's count, the declined share, latency percentiles (in memory).</summary>
public sealed class UsageStatistics(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<(DateOnly Day, bool Declined, double Ms)> _answers = [];

    public void Record(bool declined, double milliseconds)
    {
        lock (_lock)
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            _answers.RemoveAll(a => a.Day < today.AddDays(-1));
            _answers.Add((today, declined, milliseconds));
        }
    }

    public (int Questions, double DeclinedShare, double P50Ms, double P95Ms) Today()
    {
        lock (_lock)
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var list = _answers.Where(a => a.Day == today).ToList();
            if (list.Count == 0)
                return (0, 0, 0, 0);
            var times = list.Select(a => a.Ms).Order().ToList();
            double P(double p) => times[Math.Clamp((int)Math.Ceiling(p * times.Count) - 1, 0, times.Count - 1)];
            return (list.Count, list.Count(a => a.Declined) / (double)list.Count, P(0.5), P(0.95));
        }
    }
}
