using ChatBot.Core.Foundation.Concurrency;

namespace ChatBot.Tests.Concurrency;

public sealed class BackoffTests
{
    [Fact]
    public void The_wait_doubles_from_the_first_step_up_to_the_cap()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(1, 8).Select(a => backoff.Delay(a).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(60), backoff.Delay(10_000)); // no overflow however long the outage
    }

    [Fact]
    public void Jitter_spreads_each_wait_within_its_share_either_way()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), Jitter: 0.2);

        Assert.Equal(TimeSpan.FromSeconds(8), backoff.Delay(1, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Delay(1, random: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(11.6), backoff.Delay(1, random: 0.9));
        Assert.All(Enumerable.Range(0, 200).Select(_ => backoff.Delay(3)), d => Assert.InRange(d.TotalSeconds, 32, 48));
    }
}
