using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http.Admin;

/// <summary>Reads an admin request's body as one JSON object, small and well-formed, or says why not.</summary>
internal static class AdminBody
{
    /// <summary>Admin requests are a few fields; anything larger is a mistake or an attack.</summary>
    public const long MaxBytes = 64 * 1024;

    public static async Task<(JsonDocument? Body, ApiError? Error)> ReadAsync(HttpRequest request, bool emptyAllowed, CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await RequestBodyReader.ReadAsync(request, MaxBytes, cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        try
        {
            if (body.IsEmpty)
            {
                return emptyAllowed ? (null, null) : (null, ApiError.InvalidRequest("The request body must be a JSON object."));
            }

            // Copied: the document outlives the request's buffer, which is released below.
            var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return (null, ApiError.InvalidRequest("The request body must be a JSON object."));
            }

            return (document, null);
        }
        catch (JsonException)
        {
            return (null, ApiError.InvalidRequest("The request body is not valid JSON.", code: "invalid_json"));
        }
        finally
        {
            request.BodyReader.AdvanceTo(body.End);
        }
    }
}
