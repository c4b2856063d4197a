using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>Writes the request an OpenAI-format upstream receives.</summary>
internal static class UpstreamRequestWriter
{
    /// <summary>
    /// The client's request with the upstream's model name and, for streams, usage always requested:
    /// billing needs token counts even when the client did not ask for them. Unknown fields pass through.
    /// An upstream that rejects <c>stream_options</c> (older Azure API versions) gets none, and its usage is estimated.
    /// </summary>
    public static byte[] Write(ChatCompletionRequest request, string upstreamModel, bool stream, bool streamOptionsSupported = true)
    {
        var upstream = new ChatCompletionRequest
        {
            Model = upstreamModel,
            Messages = request.Messages,
            Stream = stream ? true : request.Stream,
            StreamOptions = !streamOptionsSupported ? null : stream ? WithUsage(request.StreamOptions) : request.StreamOptions,
            MaxTokens = request.MaxTokens,
            MaxCompletionTokens = request.MaxCompletionTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
            N = request.N,
            Stop = request.Stop,
            Tools = request.Tools,
            ToolChoice = request.ToolChoice,
            User = request.User,
            ExtensionData = request.ExtensionData,
        };
        return JsonSerializer.SerializeToUtf8Bytes(upstream, GatewayJsonContext.Wire.ChatCompletionRequest);
    }

    private static StreamOptions WithUsage(StreamOptions? options) =>
        new() { IncludeUsage = true, ExtensionData = options?.ExtensionData };
}
