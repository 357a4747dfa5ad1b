using System.Reflection;
using System.Reflection.Emit;
using ChatBot.Core.Indexing;

namespace ChatBot.Tests.Architecture;

/// <summary>
/// The core's areas (<c>ChatBot.Core.Storage</c>, <c>.Retrieval</c>, <c>.Answering</c>…) depend on each other in one
/// direction only. Dependencies are read from the compiled assembly: signatures, and every type, method and field that
/// method bodies (lambdas and async state machines included) refer to.
/// </summary>
public sealed class NamespaceDependencyTests
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void Core_areas_form_no_cycle()
    {
        var graph = AreaGraph(typeof(IIndexStore).Assembly, "ChatBot.Core");
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal))).ToList();
        Assert.True(cycles.Count == 0, "Namespace cycles in ChatBot.Core: " + string.Join("; ", cycles) + Environment.NewLine + Explain(typeof(IIndexStore).Assembly, "ChatBot.Core", cycles));
    }

    /// <summary>The core's stages in the order data flows through them; <c>Foundation</c> is what every stage stands on.</summary>
    public static readonly string[] Stages = ["Foundation", "Ingestion", "Indexing", "Retrieval", "Answering", "Conversation", "Digest"];

    [Fact]
    public void Core_stages_use_only_earlier_stages()
    {
        var assembly = typeof(IIndexStore).Assembly;
        var backwards = BackwardEdges(assembly, "ChatBot.Core", Stages);
        Assert.True(backwards.Count == 0, "A stage uses a later one:" + Environment.NewLine + string.Join(Environment.NewLine, backwards));
    }

    [Fact]
    public void Every_core_type_lives_in_a_stage_or_in_the_composition_root()
    {
        var outside = typeof(IIndexStore).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && ns.StartsWith("ChatBot.Core.", StringComparison.Ordinal) && !t.Name.StartsWith('<') && Array.IndexOf(Stages, Area(t, "ChatBot.Core")) < 0)
            .Select(t => t.FullName)
            .ToList();
        Assert.True(outside.Count == 0, "Types outside the stages: " + string.Join(", ", outside));
    }

    [Fact]
    public void The_stage_test_fails_on_a_backward_dependency()
    {
        // The same reader over this test assembly, where a type of a "Retrieval" area uses one of a later "Digest" area.
        var backwards = BackwardEdges(typeof(NamespaceDependencyTests).Assembly, "ChatBot.Tests.Architecture.StageProbe", ["Retrieval", "Digest"]);
        Assert.Equal(["Retrieval -> Digest: ChatBot.Tests.Architecture.StageProbe.Retrieval.Ranker -> ChatBot.Tests.Architecture.StageProbe.Digest.Schedule"], backwards);
    }

    /// <summary>Every edge from a stage to a later one, as "From -> To: type -> type".</summary>
    private static List<string> BackwardEdges(Assembly assembly, string root, string[] stages)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            var from = Array.IndexOf(stages, Area(type, root) ?? "");
            if (from < 0)
                continue;
            foreach (var (_, to) in TypeEdges(type, root))
            {
                var target = Array.IndexOf(stages, Area(to, root) ?? "");
                if (target > from)
                    lines.Add($"{stages[from]} -> {stages[target]}: {Outer(type).FullName} -> {Outer(to).FullName}");
            }
        }
        return lines.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static Type Outer(Type type) => type.DeclaringType is { } d ? Outer(d) : type;

    [Fact]
    public void The_reader_sees_dependencies_inside_method_bodies()
    {
        // A dependency used only inside a method body (here: a lambda calling another area) is still an edge.
        var edges = TypeEdges(typeof(Probe), "ChatBot.Tests").ToList();
        Assert.Contains(edges, e => e.To == typeof(IndexCounts));
    }

    private sealed class Probe
    {
        public static Func<int> Make() => () => new IndexCounts(1, 2).Chunks;
    }

    private static Dictionary<string, HashSet<string>> AreaGraph(Assembly assembly, string root)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            var from = Area(type, root);
            if (from is null)
                continue;
            if (!graph.TryGetValue(from, out var set))
                graph[from] = set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (_, to) in TypeEdges(type, root))
            {
                var area = Area(to, root);
                if (area is not null && area != from)
                    set.Add(area);
            }
        }
        return graph;
    }

    private static string Explain(Assembly assembly, string root, List<string> cycles)
    {
        if (cycles.Count == 0)
            return "";
        var lines = new List<string>();
        var inCycle = cycles.SelectMany(c => c.Split(" <-> ")).ToHashSet(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            var from = Area(type, root);
            if (from is null || !inCycle.Contains(from))
                continue;
            foreach (var (_, to) in TypeEdges(type, root))
            {
                var area = Area(to, root);
                if (area is not null && area != from && inCycle.Contains(area))
                    lines.Add($"{from}: {type.FullName} -> {to.FullName}");
            }
        }
        return string.Join(Environment.NewLine, lines.Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>The area of a type: the namespace segment right under <paramref name="root"/>; null outside it.</summary>
    private static string? Area(Type type, string root)
    {
        var ns = type.Namespace;
        if (ns is null || !ns.StartsWith(root + ".", StringComparison.Ordinal))
            return null;
        var rest = ns[(root.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static IEnumerable<(Type From, Type To)> TypeEdges(Type type, string root)
    {
        var seen = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null)
                return;
            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var a in t.GetGenericArguments())
                    Add(a);
                return;
            }
            if (!t.IsGenericParameter)
                seen.Add(t);
        }

        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
            Add(i);
        foreach (var f in type.GetFields(all))
            Add(f.FieldType);
        foreach (var p in type.GetProperties(all))
            Add(p.PropertyType);
        foreach (var a in type.GetCustomAttributesData())
            Add(a.AttributeType);
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
                Add(info.ReturnType);
            foreach (var p in method.GetParameters())
                Add(p.ParameterType);
            foreach (var t in BodyReferences(method))
                Add(t);
        }
        foreach (var nested in type.GetNestedTypes(all))
            foreach (var (_, to) in TypeEdges(nested, root))
                Add(to);
        return seen.Select(t => (type, t));
    }

    /// <summary>The types a method body names: the declaring types of what it calls, reads and creates.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (InvalidOperationException) { il = null; }
        if (il is null)
            yield break;
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE)
                value = (short)(0xFE00 | il[i++]);
            if (!OpCodesByValue.TryGetValue(value, out var op))
                yield break;
            switch (op.OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, i);
                    i += 4 + 4 * count;
                    break;
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    i += 4;
                    MemberInfo? member = null;
                    try { member = module.ResolveMember(token, typeArgs, methodArgs); }
                    catch (ArgumentException) { }
                    catch (BadImageFormatException) { }
                    if (member is Type t)
                        yield return t;
                    else if (member?.DeclaringType is { } declaring)
                    {
                        yield return declaring;
                        if (member is MethodInfo m)
                        {
                            yield return m.ReturnType;
                            foreach (var p in m.GetParameters())
                                yield return p.ParameterType;
                        }
                        else if (member is FieldInfo f)
                            yield return f.FieldType;
                    }
                    break;
                default: i += 4; break;
            }
        }
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.TryGetValue(w, out var wIndex))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                    low[v] = Math.Min(low[v], wIndex);
            }
            if (low[v] != index[v])
                return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            result.Add(component);
        }

        foreach (var v in graph.Keys.ToList())
            if (!index.ContainsKey(v))
                Visit(v);
        return result;
    }
}
