using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Storage;

public sealed class StoreOptions
{
    public const string SectionName = "ChatBot:Store";

    /// <summary>Only <c>Sqlite</c> for now.</summary>
    [Required]
    [RegularExpression("^(?i:sqlite)$", ErrorMessage = "ChatBot:Store:Provider must be 'Sqlite'.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>The SQLite index file, relative to the content root.</summary>
    [Required]
    public string Path { get; set; } = "data/chatbot.db";
}
