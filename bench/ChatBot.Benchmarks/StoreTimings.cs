using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using ChatBot.Core.Indexing;

namespace ChatBot.Benchmarks;

/// <summary>An <see cref="IIndexStore"/> that times every call it forwards: where a slow question spends its time.</summary>
public class StoreTimings : DispatchProxy
{
    private IIndexStore _inner = null!;

    public ConcurrentDictionary<string, (int Calls, double Ms)> Totals { get; } = new();

    public static (IIndexStore Store, StoreTimings Timings) Wrap(IIndexStore inner)
    {
        var proxy = Create<IIndexStore, StoreTimings>();
        var timings = (StoreTimings)(object)proxy;
        timings._inner = inner;
        return (proxy, timings);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var clock = Stopwatch.StartNew();
        var result = targetMethod!.Invoke(_inner, args);
        if (result is Task task)
        {
            task.ContinueWith(_ => Record(targetMethod.Name, clock), TaskScheduler.Default);
            return result;
        }
        Record(targetMethod.Name, clock);
        return result;
    }

    private void Record(string name, Stopwatch clock) =>
        Totals.AddOrUpdate(name, (1, clock.Elapsed.TotalMilliseconds), (_, t) => (t.Calls + 1, t.Ms + clock.Elapsed.TotalMilliseconds));
}
