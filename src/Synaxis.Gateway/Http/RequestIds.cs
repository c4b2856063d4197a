using Microsoft.AspNetCore.Http;

namespace Synaxis.Gateway.Http;

/// <summary>Gives every call an id, returned as <c>x-request-id</c> and written in every log line about it.</summary>
internal static class RequestIds
{
    public const string HeaderName = "x-request-id";

    public static string Assign(HttpContext context)
    {
        var id = $"req_{Guid.NewGuid():N}";
        context.Response.Headers[HeaderName] = id;
        return id;
    }
}
