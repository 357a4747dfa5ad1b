using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Foundation.Hosting;

/// <summary>An absolute http(s) URL, or nothing: settings files list optional URLs as empty strings.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionalUrlAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is null
        || (value is string text && (text.Length == 0 || (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss")));
}
