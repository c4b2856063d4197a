using System.Buffers;
using System.Text;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Tests.Protocol;

/// <summary>Embeddings requests are checked the way OpenAI checks them, with the field at fault named.</summary>
public sealed class EmbeddingsRequestReaderTests
{
    [Theory]
    [InlineData("""{"model":"m","input":"hello"}""", 1, false)]
    [InlineData("""{"model":"m","input":["a","b","c"],"encoding_format":"base64","dimensions":256,"user":"u-1"}""", 3, false)]
    [InlineData("""{"model":"m","input":[1212,318,257]}""", 1, true)]
    [InlineData("""{"model":"m","input":[[1212,318],[257]],"encoding_format":"float"}""", 2, true)]
    public void ValidRequest_IsRead(string json, int inputs, bool tokens)
    {
        var error = Read(json, out var request, out var input);

        Assert.Null(error);
        Assert.Equal("m", request!.Model);
        Assert.Equal(inputs, input!.Count);
        Assert.Equal(tokens, input.Tokens is not null);
    }

    [Fact]
    public void UnknownFields_AreKeptForTheUpstream()
    {
        Read("""{"model":"m","input":"x","task_type":"RETRIEVAL_QUERY"}""", out var request, out _);

        Assert.True(request!.ExtensionData!.ContainsKey("task_type"));
    }

    [Theory]
    [InlineData("""{"input":"x"}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":" ","input":"x"}""", "model", "invalid_value")]
    [InlineData("""{"model":7,"input":"x"}""", "model", "invalid_type")]
    [InlineData("""{"model":"m"}""", "input", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":null}""", "input", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":""}""", "input", "invalid_value")]
    [InlineData("""{"model":"m","input":[]}""", "input", "invalid_value")]
    [InlineData("""{"model":"m","input":["a",""]}""", "input[1]", "invalid_value")]
    [InlineData("""{"model":"m","input":42}""", "input", "invalid_type")]
    [InlineData("""{"model":"m","input":{"text":"x"}}""", "input", "invalid_type")]
    [InlineData("""{"model":"m","input":["a",1]}""", "input", "invalid_type")]
    [InlineData("""{"model":"m","input":[true]}""", "input", "invalid_type")]
    [InlineData("""{"model":"m","input":[1,-2]}""", "input", "invalid_type")]
    [InlineData("""{"model":"m","input":[[1],[]]}""", "input", "invalid_type")]
    [InlineData("""{"model":"m","input":[1.5]}""", "input", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","encoding_format":"int8"}""", "encoding_format", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","dimensions":0}""", "dimensions", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","dimensions":"256"}""", "dimensions", "invalid_type")]
    public void BadRequest_Is400NamingTheField(string json, string param, string code)
    {
        var error = Read(json, out _, out _);

        Assert.Equal((400, param, code), (error?.Status, error?.Param, error?.Code));
    }

    [Fact]
    public void TooManyInputs_Is400()
    {
        var json = """{"model":"m","input":[""" + string.Join(',', Enumerable.Repeat("\"x\"", 2049)) + "]}";

        var error = Read(json, out _, out _);

        Assert.Equal(("input", "invalid_value"), (error?.Param, error?.Code));
        Assert.Contains("2048", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"model":"m","input":"x"} trailing""")]
    [InlineData("[]")]
    public void UnreadableBody_IsInvalidJson(string json)
    {
        Assert.Equal("invalid_json", Read(json, out _, out _)?.Code);
    }

    private static ApiError? Read(string json, out EmbeddingsRequest? request, out EmbeddingInput? input) =>
        EmbeddingsRequestReader.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), out request, out input);
}
