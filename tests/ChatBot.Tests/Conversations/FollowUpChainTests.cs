using ChatBot.Core.Answering.Chat;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Conversations;

/// <summary>Follow-ups too short to stand alone are answered from the same article, offline.</summary>
public sealed class FollowUpChainTests
{
    [Theory]
    [InlineData("À quels pays la Russie a-t-elle exporté le S-400 ?", "Et qui l'a rapporté ?", "004_d14a4ba0e42e9e1f", "Defense News")]
    [InlineData("D'où décollaient les bombardiers russes Su-34 ?", "Et dans quelle région ?", "000_47b6786323e8e5c6", "nord-ouest")]
    [InlineData("Quel accord historique l'Iran a-t-il signé avec les grandes puissances ?", "Et quand ?", "002_4fced6dc993173a8", "juillet 2015")]
    public async Task A_short_follow_up_lands_on_the_article_of_the_previous_question(string first, string followUp, string article, string expected)
    {
        await using var bot = new TestBot();
        var firstReply = await bot.AskAsync(first);

        var reply = await bot.Answerer.AnswerAsync(new ChatRequest(followUp) { History = [new ChatTurn(first, firstReply.Text)] }, TestContext.Current.CancellationToken);
        var alone = await bot.Answerer.AnswerAsync(new ChatRequest(followUp), TestContext.Current.CancellationToken);

        Assert.Equal(article, reply.Citations[0].ArticleId);
        Assert.Contains(expected, reply.Text, StringComparison.Ordinal);
        Assert.False(alone.Grounded && alone.Citations[0].ArticleId == article && alone.Text.Contains(expected, StringComparison.Ordinal),
            "without the history the follow-up alone should not find it: the history is what answers");
    }
}
