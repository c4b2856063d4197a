using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synaxis.Infra.Tests.Bicep;

/// <summary>JSON as text with ARM expressions left readable, so a search for <c>parameters('x')</c> finds them.</summary>
internal static class Json
{
    // The default encoder writes ' as \u0027, which would hide every ARM expression from a text search.
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(JsonNode? node) => node?.ToJsonString(Unescaped) ?? "null";
}
