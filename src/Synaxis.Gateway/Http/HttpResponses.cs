using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http;

/// <summary>Writes JSON answers and OpenAI-shaped errors.</summary>
public static class HttpResponses
{
    private const string JsonContentType = "application/json";

    public static Task WriteErrorAsync(HttpResponse response, ApiError error, CancellationToken cancellationToken)
    {
        response.StatusCode = error.Status;
        if (error.RetryAfter is { } wait)
        {
            // Whole seconds, rounded up: Retry-After: 0 would invite an immediate retry storm.
            response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        }

        return WriteJsonAsync(response, error.ToResponse(), GatewayJsonContext.Wire.ErrorResponse, cancellationToken);
    }

    public static async Task WriteJsonAsync<T>(HttpResponse response, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        response.ContentType = JsonContentType;
        await JsonSerializer.SerializeAsync(response.BodyWriter.AsStream(leaveOpen: true), value, typeInfo, cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteJsonAsync(HttpResponse response, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        response.ContentType = JsonContentType;
        response.ContentLength = json.Length;
        await response.BodyWriter.WriteAsync(json, cancellationToken).ConfigureAwait(false);
    }
}
