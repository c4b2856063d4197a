using System.Text.Json;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Tests.Protocol;

public sealed class MessageContentTests
{
    [Fact]
    public void StringContent_RoundTripsAsString()
    {
        var message = Read("""{"role":"user","content":"Hello\nthere"}""");

        Assert.Equal("Hello\nthere", message.Content!.Text);
        Assert.Null(message.Content.Parts);
        Assert.Equal("""{"role":"user","content":"Hello\nthere"}""", Write(message));
    }

    [Fact]
    public void ArrayContent_RoundTripsAsArrayOfParts()
    {
        const string json = """{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBO","detail":"high"}}]}""";

        var message = Read(json);

        Assert.Null(message.Content!.Text);
        Assert.Equal(2, message.Content.Parts!.Count);
        Assert.Equal("data:image/png;base64,iVBO", message.Content.Parts[1].ImageUrl!.Url);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(Write(message))));
    }

    [Fact]
    public void EmptyArrayContent_StaysAnEmptyArray()
    {
        var message = Read("""{"role":"user","content":[]}""");

        Assert.Empty(message.Content!.Parts!);
        Assert.Equal("""{"role":"user","content":[]}""", Write(message));
    }

    [Fact]
    public void ToPlainText_JoinsTextPartsWithNewlines_SkippingOtherParts()
    {
        var content = Read("""{"role":"user","content":[{"type":"text","text":"first"},{"type":"image_url","image_url":{"url":"https://x.test/a.png"}},{"type":"text","text":"second"}]}""").Content!;

        Assert.Equal("first\nsecond", content.ToPlainText());
    }

    [Fact]
    public void ToPlainText_OfStringContent_IsTheString()
    {
        Assert.Equal("just text", MessageContent.FromText("just text").ToPlainText());
    }

    [Fact]
    public void ToPlainText_WithoutTextParts_IsEmpty()
    {
        var content = MessageContent.FromParts([new ContentPart { Type = "image_url", ImageUrl = new ImageUrl { Url = "https://x.test/a.png" } }]);

        Assert.Equal("", content.ToPlainText());
    }

    [Theory]
    [InlineData("5")]
    [InlineData("true")]
    [InlineData("{\"text\":\"hi\"}")]
    public void Content_OfAnotherType_IsAJsonError(string content)
    {
        Assert.Throws<JsonException>(() => Read($$"""{"role":"user","content":{{content}}}"""));
    }

    private static ChatMessage Read(string json)
    {
        var request = JsonSerializer.Deserialize($$"""{"messages":[{{json}}]}""", GatewayJsonContext.Wire.ChatCompletionRequest)!;
        return request.Messages![0];
    }

    private static string Write(ChatMessage message)
    {
        var json = JsonSerializer.Serialize(new ChatCompletionRequest { Messages = [message] }, GatewayJsonContext.Wire.ChatCompletionRequest);
        return JsonNode.Parse(json)!["messages"]![0]!.ToJsonString();
    }
}
