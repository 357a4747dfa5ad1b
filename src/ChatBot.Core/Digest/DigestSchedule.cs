using Cronos;

namespace ChatBot.Core.Digest;

/// <summary>
/// The digest's cron expression in its time zone. Periods are the schedule's occurrences as UTC instants, so a
/// daylight-saving change moves the instant, never the local hour, and never makes a day post twice or not at all.
/// </summary>
public sealed class DigestSchedule(string cron, string timeZone)
{
    private static readonly TimeSpan[] Windows = [TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(8), TimeSpan.FromDays(32), TimeSpan.FromDays(400)];

    private readonly CronExpression _cron = CronExpression.Parse(cron);
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);

    public DateTimeOffset? Next(DateTimeOffset after) => _cron.GetNextOccurrence(after, _zone);

    /// <summary>The most recent occurrence at or before <paramref name="now"/> (the period now due), if any within a year.</summary>
    public DateTimeOffset? Latest(DateTimeOffset now)
    {
        // Look back in growing windows, so that an every-minute schedule and a yearly one are both cheap.
        foreach (var window in Windows)
        {
            DateTimeOffset? latest = null;
            for (var next = Next(now - window); next is { } occurrence && occurrence <= now; next = Next(occurrence))
                latest = occurrence;
            if (latest is not null)
                return latest;
        }
        return null;
    }

    /// <summary>The occurrence before <paramref name="period"/>: where the first digest of a new target starts counting.</summary>
    public DateTimeOffset Previous(DateTimeOffset period) => Latest(period - TimeSpan.FromTicks(1)) ?? period - TimeSpan.FromDays(1);
}
