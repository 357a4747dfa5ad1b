using System.Globalization;

namespace ChatBot.Benchmarks;

/// <summary>
/// The pauses of each gen-2 collection while questions are answered, not only their sum: the runtime keeps the last
/// collection of each kind (<see cref="GC.GetGCMemoryInfo(GCKind)"/>), so looking after every question sees every
/// gen-2 collection as long as no two of a kind happen within one question (the count says when they did); of the
/// gen-0 and gen-1 collections, only each question's last is seen.
/// </summary>
internal sealed class GcPauses
{
    private readonly long _firstBackground = GC.GetGCMemoryInfo(GCKind.Background).Index;
    private readonly long _firstBlocking = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
    private readonly int _firstGen2 = GC.CollectionCount(2);
    private long _lastBackground, _lastBlocking, _lastEphemeral;
    private int _background, _blocking, _compacted, _counted, _ephemeral;
    private double _longestBackground, _longestBlocking, _longestEphemeral;

    public GcPauses() => (_lastBackground, _lastBlocking, _lastEphemeral) = (_firstBackground, _firstBlocking, GC.GetGCMemoryInfo(GCKind.Ephemeral).Index);

    /// <summary>Looks at the last collection of each gen-2 kind; call after each question.</summary>
    public void Look()
    {
        _counted = GC.CollectionCount(2) - _firstGen2;
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        if (background.Index > _lastBackground)
        {
            (_lastBackground, _background) = (background.Index, _background + 1);
            _longestBackground = Math.Max(_longestBackground, Longest(background));
        }
        var ephemeral = GC.GetGCMemoryInfo(GCKind.Ephemeral);
        if (ephemeral.Index > _lastEphemeral)
        {
            (_lastEphemeral, _ephemeral) = (ephemeral.Index, _ephemeral + 1);
            _longestEphemeral = Math.Max(_longestEphemeral, Longest(ephemeral));
        }
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        if (blocking.Index > _lastBlocking)
        {
            (_lastBlocking, _blocking, _compacted) = (blocking.Index, _blocking + 1, _compacted + (blocking.Compacted ? 1 : 0));
            _longestBlocking = Math.Max(_longestBlocking, Longest(blocking));
        }
    }

    private static double Longest(GCMemoryInfo info)
    {
        var longest = TimeSpan.Zero;
        foreach (var pause in info.PauseDurations)
            longest = pause > longest ? pause : longest;
        return longest.TotalMilliseconds;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"gen-2 collections seen: {_blocking} blocking ({_compacted} compacting; longest pause {_longestBlocking:0.0} ms), {_background} background (longest pause {_longestBackground:0.0} ms) of {_counted} counted; gen-0/1: the last of {_ephemeral} questions' longest pause {_longestEphemeral:0.0} ms");
}
