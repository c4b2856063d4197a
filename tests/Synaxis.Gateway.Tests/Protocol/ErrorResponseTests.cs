using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Tests.Protocol;

public sealed class ErrorResponseTests
{
    [Fact]
    public void Serialize_WritesNullParamAndCode_AsOpenAIDoes()
    {
        var json = JsonSerializer.Serialize(new ApiError(500, "Boom.", "server_error").ToResponse(), GatewayJsonContext.Wire.ErrorResponse);

        Assert.Equal("""{"error":{"message":"Boom.","type":"server_error","param":null,"code":null}}""", json);
    }

    [Fact]
    public void Serialize_WritesParamAndCode_AndLeavesQuotesUnescaped()
    {
        var json = JsonSerializer.Serialize(ApiError.ModelNotFound("gpt-9").ToResponse(), GatewayJsonContext.Wire.ErrorResponse);

        Assert.Equal(
            """{"error":{"message":"The model 'gpt-9' does not exist or you do not have access to it.","type":"invalid_request_error","param":"model","code":"model_not_found"}}""",
            json);
    }
}
