using System.Text.Json;
using ChatBot.Discord.Client.Model;

namespace ChatBot.Tests.Discord;

/// <summary>The typed payloads read and write Discord's JSON: snake_case names, absent members left out, snowflakes as strings.</summary>
public sealed class DiscordJsonTests
{
    [Fact]
    public void A_reply_is_written_in_discords_names_without_absent_members()
    {
        var message = new MessagePayload
        {
            Content = "Réponse",
            AllowedMentions = AllowedMentions.None,
            MessageReference = new MessageReference("123"),
        };

        var json = JsonSerializer.Serialize(message, DiscordJson.Default.MessagePayload);

        Assert.Equal("""{"content":"R\u00E9ponse","allowed_mentions":{"parse":[],"replied_user":false},"message_reference":{"message_id":"123","fail_if_not_exists":false}}""", json);
    }

    [Fact]
    public void Buttons_carry_their_component_types_and_style()
    {
        var row = new ActionRow([new Button("👍", "feedback:up")]);

        var json = JsonSerializer.Serialize(new MessagePayload { Components = [row] }, DiscordJson.Default.MessagePayload);

        Assert.Equal("""{"components":[{"components":[{"label":"\uD83D\uDC4D","custom_id":"feedback:up","type":2,"style":2}],"type":1}]}""", json);
    }

    [Fact]
    public void A_guild_slash_command_is_read_with_its_member_and_an_integer_option()
    {
        const string payload = """
            {"id":"7001","application_id":"900","type":2,"token":"tok","guild_id":"777","channel_id":"1100","locale":"en-US",
             "member":{"user":{"id":"42","username":"ada"},"roles":[]},
             "data":{"id":"55","name":"sources","type":1,"options":[{"name":"page","type":4,"value":2}]},"version":1}
            """;

        var interaction = JsonSerializer.Deserialize(payload, DiscordJson.Default.DiscordInteraction)!;

        Assert.Equal(InteractionType.ApplicationCommand, interaction.Type);
        Assert.Equal("42", interaction.Invoker!.Id);
        Assert.Equal("sources", interaction.Data!.Name);
        Assert.Equal("2", interaction.Data.Options[0].Text);
        Assert.Equal("en-US", interaction.Locale);
    }

    [Fact]
    public void A_message_without_an_id_does_not_read()
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize("""{"channel_id":"1","content":"x"}""", DiscordJson.Default.DiscordMessage));
    }

    [Fact]
    public void A_direct_message_has_no_guild_and_a_reply_names_its_original()
    {
        var message = JsonSerializer.Deserialize("""
            {"id":"2","channel_id":"9","author":{"id":"42"},"content":"et alors ?","mentions":[],"mention_everyone":false,
             "referenced_message":{"id":"1","channel_id":"9","author":{"id":"100","bot":true}}}
            """, DiscordJson.Default.DiscordMessage)!;

        Assert.True(message.IsDirect);
        Assert.Equal("1", message.ReferencedMessage!.Id);
        Assert.True(message.ReferencedMessage.Author!.Bot);
    }
}
