using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http;

/// <summary>
/// Buffers a request body in the request's own pipe, never past the configured limit, so a huge or
/// endless body costs at most the limit in memory and gets 413.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>
    /// Reads the whole body. On success the caller owns the returned body until it calls
    /// <see cref="PipeReader.AdvanceTo(SequencePosition)"/> with its end.
    /// </summary>
    public static async Task<(ReadOnlySequence<byte> Body, ApiError? Error)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (default, ApiError.PayloadTooLarge(limit));
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.Buffer.Length > limit)
            {
                reader.AdvanceTo(result.Buffer.End);
                return (default, ApiError.PayloadTooLarge(limit));
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                return (result.Buffer, null);
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
