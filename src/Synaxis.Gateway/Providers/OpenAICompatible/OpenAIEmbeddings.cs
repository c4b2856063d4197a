using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>
/// <c>/embeddings</c> at an OpenAI-format upstream (OpenAI-compatible servers, Azure OpenAI): the client's
/// request with the upstream's model name, the answer passed on as it came, its usage read (or estimated).
/// </summary>
internal static class OpenAIEmbeddings
{
    public static byte[] WriteRequest(EmbeddingsRequest request, string upstreamModel) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new EmbeddingsRequest
            {
                Input = request.Input,
                Model = upstreamModel,
                EncodingFormat = request.EncodingFormat,
                Dimensions = request.Dimensions,
                User = request.User,
                ExtensionData = request.ExtensionData,
            },
            GatewayJsonContext.Wire.EmbeddingsRequest);

    public static async Task<EmbeddingsResult> SendAsync(OpenAIWire wire, HttpRequestMessage request, EmbeddingsCall call, CancellationToken cancellationToken)
    {
        using var response = await wire.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Failure is { } failure)
        {
            return EmbeddingsResult.Failed(failure);
        }

        var (body, complete) = await BoundedContentReader.ReadAsync(response.Message!.Content, OpenAIWire.MaxCompletionBytes, cancellationToken).ConfigureAwait(false);
        if (!complete || !TryReadUsage(body, out var usage))
        {
            return EmbeddingsResult.Failed(new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream's answer is not a list of embeddings."));
        }

        return EmbeddingsResult.Success(body, usage ?? call.EstimateUsage());
    }

    /// <summary>Checks that the answer is an object with <c>data</c>, and finds its usage without building the vectors.</summary>
    private static bool TryReadUsage(ReadOnlySpan<byte> body, out Usage? usage)
    {
        usage = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var sawData = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = reader.ValueTextEquals("usage"u8);
                var isData = reader.ValueTextEquals("data"u8);
                reader.Read();
                sawData |= isData && reader.TokenType == JsonTokenType.StartArray;
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    usage = JsonSerializer.Deserialize(ref reader, GatewayJsonContext.Wire.Usage);
                }
                else
                {
                    reader.Skip();
                }
            }

            return sawData;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
