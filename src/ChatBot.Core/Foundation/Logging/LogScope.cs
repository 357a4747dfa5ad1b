using System.Collections;
using System.Globalization;

namespace ChatBot.Core.Foundation.Logging;

/// <summary>
/// A log scope of named values (platform, chat, message): structured for formatters that read key/value pairs (JSON),
/// and printed as <c>Platform=telegram ChatId=42 MessageId=7</c> by the simple console, which shows a scope's
/// <see cref="ToString"/> (a dictionary would print as its type name).
/// </summary>
public sealed class LogScope(params (string Key, object? Value)[] values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _values = values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)).ToArray();

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        string.Join(' ', _values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key}={v.Value}")));
}
