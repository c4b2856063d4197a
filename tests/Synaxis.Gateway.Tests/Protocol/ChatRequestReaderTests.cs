using System.Buffers;
using System.Text;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Tests.Protocol;

/// <summary>
/// A body that is not JSON gets <c>invalid_json</c>; JSON whose values have the wrong type gets
/// <c>invalid_type</c> naming the field, so the client can fix the right thing.
/// </summary>
public sealed class ChatRequestReaderTests
{
    private const string Valid = """{"model":"gpt-4","messages":[{"role":"user","content":"hi"}]}""";

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("""{"model":"gpt-4","messages":[""")]
    [InlineData("[]")]
    [InlineData("""[{"model":"gpt-4","messages":[{"role":"user","content":"hi"}]}]""")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData(Valid + " garbage")]
    [InlineData(Valid + "}")]
    [InlineData(Valid + Valid)]
    [InlineData("""{"model":"gpt-4","temperature":"hot",}""")] // a wrong type, but the syntax error decides
    public void TryRead_BodyThatIsNotOneJsonObject_IsInvalidJson(string body)
    {
        var error = Read(body, out _);

        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_json", error.Code);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Null(error.Param);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature", "a number")]
    [InlineData("""{"model":"gpt-4","messages":{}}""", "messages", "an array")]
    [InlineData("""{"model":"gpt-4","messages":"hi"}""", "messages", "an array")]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":5}]}""", "messages[0].content", "a string or an array of content parts")]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":"a"},{"role":"user","content":{}}]}""", "messages[1].content", "a string or an array of content parts")]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream", "a boolean")]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":"hi"}],"max_tokens":1.5}""", "max_tokens", "an integer")]
    [InlineData("""{"model":5,"messages":[{"role":"user","content":"hi"}]}""", "model", "a string")]
    [InlineData("""{"model":"gpt-4","messages":[{"role":7,"content":"hi"}]}""", "messages[0].role", "a string")]
    [InlineData("""{"model":"gpt-4","messages":["hi"]}""", "messages[0]", "an object")]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":"yes"}}""", "stream_options.include_usage", "a boolean")]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":"f"}]}""", "tools[0].function", "an object")]
    public void TryRead_ValueOfWrongType_IsInvalidTypeNamingTheField(string body, string param, string expected)
    {
        var error = Read(body, out _);

        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_type", error.Code);
        Assert.Equal(param, error.Param);
        Assert.Equal($"Invalid type for '{param}': expected {expected}.", error.Message);
    }

    [Fact]
    public void TryRead_ValidBody_ReturnsTheRequest()
    {
        var error = Read(Valid, out var request);

        Assert.Null(error);
        Assert.Equal("gpt-4", request!.Model);
        Assert.Equal("hi", request.Messages![0].Content!.Text);
    }

    [Fact]
    public void TryRead_ValidJson_IsValidatedToo()
    {
        var error = Read("""{"messages":[{"role":"user","content":"hi"}]}""", out _);

        Assert.Equal("missing_required_parameter", error!.Code);
        Assert.Equal("model", error.Param);
    }

    [Fact]
    public void TryRead_BodyInOneByteSegments_ReadsLikeOneSegment()
    {
        var body = """{"model":"gpt-4","messages":[{"role":"user","content":"日本 🙂"}],"seed":1}  """;

        var error = ChatRequestReader.TryRead(OneByteSegments(Encoding.UTF8.GetBytes(body)), out var request);

        Assert.Null(error);
        Assert.Equal("日本 🙂", request!.Messages![0].Content!.Text);
    }

    [Fact]
    public void TryRead_WrongTypeInOneByteSegments_StillNamesTheField()
    {
        var body = """{"model":"gpt-4","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""";

        var error = ChatRequestReader.TryRead(OneByteSegments(Encoding.UTF8.GetBytes(body)), out _);

        Assert.Equal("invalid_type", error!.Code);
        Assert.Equal("temperature", error.Param);
    }

    [Theory]
    [InlineData("$.messages[0].content", "messages[0].content")]
    [InlineData("$.temperature", "temperature")]
    [InlineData("$['x.y']", "x.y")]
    [InlineData("$.tools[0]['my-field']", "tools[0].my-field")]
    [InlineData("$", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void ParamFromPath_TurnsJsonPathIntoOpenAIParam(string? path, string? param)
    {
        Assert.Equal(param, ChatRequestReader.ParamFromPath(path));
    }

    private static ApiError? Read(string body, out ChatCompletionRequest? request) =>
        ChatRequestReader.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), out request);

    private static ReadOnlySequence<byte> OneByteSegments(byte[] bytes)
    {
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
