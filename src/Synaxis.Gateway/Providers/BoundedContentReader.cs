namespace Synaxis.Gateway.Providers;

/// <summary>Reads an upstream body into memory, never more than a limit, so a runaway upstream cannot exhaust it.</summary>
internal static class BoundedContentReader
{
    /// <summary>The body, or its first <paramref name="maxBytes"/> bytes with <c>Complete</c> false when it is longer.</summary>
    public static async Task<(byte[] Body, bool Complete)> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var expected = content.Headers.ContentLength is { } length and >= 0 ? (int)Math.Min(length, maxBytes) : 16 * 1024;
        using var body = new MemoryStream(expected);
        var buffer = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var room = maxBytes - (int)body.Length;
            if (read > room)
            {
                body.Write(buffer, 0, room);
                return (body.ToArray(), false);
            }

            body.Write(buffer, 0, read);
        }

        return (body.ToArray(), true);
    }
}
