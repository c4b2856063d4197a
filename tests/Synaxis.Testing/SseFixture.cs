namespace Synaxis.Testing;

/// <summary>Splits recorded SSE bytes into events, each keeping its exact bytes and its blank-line terminator.</summary>
public static class SseFixture
{
    public static List<byte[]> SplitEvents(byte[] body)
    {
        var events = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var end = TerminatorEnd(body, i);
            if (end > 0)
            {
                events.Add(body[start..end]);
                start = end;
                i = end - 1;
            }
        }

        if (start < body.Length)
        {
            events.Add(body[start..]);
        }

        return events;
    }

    // An event ends at an empty line: \n\n, \r\n\r\n or \r\r (a line break followed by another).
    private static int TerminatorEnd(byte[] body, int i)
    {
        var first = LineBreakEnd(body, i);
        if (first < 0)
        {
            return -1;
        }

        var second = LineBreakEnd(body, first);
        return second;
    }

    private static int LineBreakEnd(byte[] body, int i)
    {
        if (i >= body.Length)
        {
            return -1;
        }

        if (body[i] == '\r')
        {
            return i + 1 < body.Length && body[i + 1] == '\n' ? i + 2 : i + 1;
        }

        return body[i] == '\n' ? i + 1 : -1;
    }
}
