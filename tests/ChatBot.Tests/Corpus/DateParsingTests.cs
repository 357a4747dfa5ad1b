using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Tests.Corpus;

public sealed class DateParsingTests
{
    [Theory]
    [InlineData("24-11-2024 02:55 AM Jerusalem Timing", 2024, 11, 24)]
    [InlineData("— Agence France-Presse (@afpfr) 23 Novembre 2015", 2015, 11, 23)]
    [InlineData("Publié le 1er mars 2021 à 10h", 2021, 3, 1)]
    [InlineData("Mis à jour : 2023-07-14T08:00:00Z", 2023, 7, 14)]
    [InlineData("Updated March 5, 2022", 2022, 3, 5)]
    [InlineData("12/31/2020", 2020, 12, 31)]
    public void Finds_dates_written_the_ways_news_sites_write_them(string text, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), DateParsing.Find(text));

    [Theory]
    [InlineData("Publié le")]
    [InlineData("le 13 juin par des frappes aériennes")]
    [InlineData("31-02-2020")]
    [InlineData("plus de 1000 roquettes")]
    public void Never_invents_a_date(string text) => Assert.Null(DateParsing.Find(text));
}
