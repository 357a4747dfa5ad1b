using ChatBot.Storage.Sqlite;

namespace ChatBot.Tests.Storage;

public sealed class SqliteValuesTests
{
    [Fact]
    public void Instants_written_as_text_sort_as_the_instants_do_whatever_their_offset()
    {
        DateTimeOffset[] instants =
        [
            new(2026, 11, 28, 23, 0, 0, TimeSpan.FromHours(2)),   // 21:00Z
            new(2026, 11, 28, 20, 30, 0, TimeSpan.Zero),
            new(2026, 11, 28, 16, 0, 1, TimeSpan.FromHours(-5)),  // 21:00:01Z
            new(2026, 11, 28, 21, 0, 0, 5, TimeSpan.Zero),
            new(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(14)),
        ];

        var texts = instants.Select(SqliteValues.Instant).ToList();

        Assert.Single(texts.Select(t => t.Length).Distinct());
        Assert.Equal(instants.OrderBy(i => i).Select(SqliteValues.Instant), texts.Order(StringComparer.Ordinal));
        Assert.All(instants, i => Assert.Equal(i, SqliteValues.ReadInstant(SqliteValues.Instant(i))));
    }

    [Theory]
    [InlineData("2026-11-28T23:00:00.0000000+02:00")] // written by an older version, with the offset
    [InlineData("2026-11-28T21:00:00.0000000Z")]
    [InlineData("2026-11-28T21:00:00")]               // no offset: UTC, as every instant the store writes
    public void An_instant_is_read_from_any_round_trip_text(string text) =>
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 21, 0, 0, TimeSpan.Zero), SqliteValues.ReadInstant(text));

    [Fact]
    public void A_date_is_written_and_read_as_year_month_day()
    {
        Assert.Equal("2026-03-07", SqliteValues.Date(new DateOnly(2026, 3, 7)));
        Assert.Equal(DBNull.Value, SqliteValues.Date(null));
        Assert.Equal(new DateOnly(2026, 3, 7), SqliteValues.ReadDate("2026-03-07"));
    }
}
