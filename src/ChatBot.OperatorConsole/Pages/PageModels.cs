using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.OperatorConsole.Pages;

/// <summary>What <c>Layout.cshtml</c> wraps every page in: the language, the current navigation entry, the heading, and the signed-in operator (null on the login page).</summary>
public sealed record LayoutModel(ConsoleLanguage Language, string Current, string Heading, ConsoleSession? Session);

public sealed record LoginModel(ConsoleLanguage Language, bool Refused);

public sealed record MessageModel(ConsoleLanguage Language, string Key, ConsoleSession? Session);

public sealed record HealthModel(ConsoleLanguage Language, Health Health, ConsoleSession Session);

public sealed record ReindexedModel(ConsoleLanguage Language, IngestionReport Report, IndexCounts Counts, ConsoleSession Session);

public sealed record QuestionsModel(ConsoleLanguage Language, QuestionStats Stats, int Days, bool ShowsText, ConsoleSession Session);

public sealed record GapsModel(ConsoleLanguage Language, IReadOnlyList<ContentGap> Gaps, IReadOnlyDictionary<string, Article> Articles, bool ShowsText, ConsoleSession Session);

public sealed record FeedbackModel(ConsoleLanguage Language, IReadOnlyList<FeedbackVote> Down, int Stale, IReadOnlyDictionary<string, Article> Articles, bool ShowsText, ConsoleSession Session);

public sealed record ArticlesModel(ConsoleLanguage Language, CatalogPage Catalog, ConsoleSession Session);

public sealed record ArticleModel(ConsoleLanguage Language, Article Article, IReadOnlyList<ChunkRecord> Chunks, ConsoleSession Session);
