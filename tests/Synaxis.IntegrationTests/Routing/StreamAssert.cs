using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>What a whole, correct answer looks like to a client.</summary>
public static class StreamAssert
{
    /// <summary>The deployment named in <c>x-synaxis-deployment</c>, or null.</summary>
    public static string? DeploymentOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-synaxis-deployment", out var values) ? values.Single() : null;

    /// <summary>
    /// The stream carries exactly <paramref name="chunks"/> synthetic chunks of one deployment, in order, each
    /// once, then its finish chunk and one <c>[DONE]</c> at the end, with no error event.
    /// </summary>
    public static void IsCompleteAnswerOf(IReadOnlyList<SseLine> lines, string label, int chunks = 5)
    {
        var data = lines.Where(l => l.Data is not null).ToList();
        Assert.DoesNotContain(data, l => l.IsError);
        Assert.Equal(Respond.SyntheticText(chunks, label), string.Concat(data.Select(l => l.Content)));
        Assert.Equal(chunks + 2, data.Count); // content chunks, the finish chunk, [DONE]
        Assert.Equal(data.Count, data.Select(l => l.Data).Distinct().Count()); // no chunk twice
        Assert.True(data[^1].IsDone, "a complete stream ends with [DONE]");
        Assert.Single(data, l => l.IsDone);
    }
}
