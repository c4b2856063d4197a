using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>Makes the fake upstream answer embeddings as the provider would, and says which vector a client must end up with.</summary>
public static class EmbeddingsUpstream
{
    /// <summary>
    /// OpenAI and Azure replay the recorded base64 answer; Gemini answers one vector per input, shaped as Google's
    /// API reference documents <c>batchEmbedContents</c> (no recording of one is available).
    /// </summary>
    public static float[] Answer(FakeUpstream upstream, string provider)
    {
        if (provider != "gemini")
        {
            upstream.Behavior = Respond.Json("openai/embeddings-base64.json");
            var recorded = JsonNode.Parse(Fixtures.Text("openai/embeddings-base64.json"))!["data"]![0]!["embedding"]!.GetValue<string>();
            return MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(recorded)).ToArray();
        }

        float[] vector = [0.0125f, -0.5f, 0.25f, 1e-6f, -0.75f];
        upstream.Behavior = (context, request) =>
        {
            var values = string.Join(',', vector.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            var answers = string.Join(',', request["requests"]!.AsArray().Select(_ => $$"""{"values":[{{values}}]}"""));
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync($$"""{"embeddings":[{{answers}}]}""", context.RequestAborted);
        };
        return vector;
    }
}
