// Two areas in stage order, the earlier using the later: what the stage test must catch.
namespace ChatBot.Tests.Architecture.StageProbe.Digest
{
    public sealed class Schedule
    {
        public int Hour { get; init; }
    }
}

namespace ChatBot.Tests.Architecture.StageProbe.Retrieval
{
    public static class Ranker
    {
        public static int Rank() => new Digest.Schedule { Hour = 1 }.Hour;
    }
}
