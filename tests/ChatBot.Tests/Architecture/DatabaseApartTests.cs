using ChatBot.Core.Indexing;
using ChatBot.Storage.Postgres;
using ChatBot.Storage.Sqlite;

namespace ChatBot.Tests.Architecture;

/// <summary>The database is apart from the index: the small stores are built on the database and never on the index store.</summary>
public sealed class DatabaseApartTests
{
    [Theory]
    [InlineData(typeof(SqliteDigestLedger), typeof(SqliteDatabase))]
    [InlineData(typeof(SqliteInboxStore), typeof(SqliteDatabase))]
    [InlineData(typeof(SqliteConversationStore), typeof(SqliteDatabase))]
    [InlineData(typeof(SqliteFeedbackStore), typeof(SqliteDatabase))]
    [InlineData(typeof(SqliteQuestionLog), typeof(SqliteDatabase))]
    [InlineData(typeof(PostgresDigestLedger), typeof(PostgresDatabase))]
    [InlineData(typeof(PostgresInboxStore), typeof(PostgresDatabase))]
    [InlineData(typeof(PostgresConversationStore), typeof(PostgresDatabase))]
    [InlineData(typeof(PostgresFeedbackStore), typeof(PostgresDatabase))]
    [InlineData(typeof(PostgresQuestionLog), typeof(PostgresDatabase))]
    public void A_small_store_takes_the_database_and_never_the_index_store(Type store, Type database)
    {
        var parameters = store.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType).ToList();

        Assert.Contains(database, parameters);
        Assert.DoesNotContain(parameters, t => typeof(IIndexStore).IsAssignableFrom(t));
    }
}
