using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>A non-streamed answer is read whole before anything is sent, so every upstream failure can fall back.</summary>
public sealed class CompletionFallbackTests
{
    public static TheoryData<string> Failures => ["reset", "reset-mid-body", "truncated-json", "500", "503", "429", "stall"];

    private static Func<HttpContext, JsonObject, Task> Misbehave(string failure) => failure switch
    {
        "reset" => Faults.ResetBeforeHeaders(),
        "reset-mid-body" => Faults.ResetMidBody(),
        "truncated-json" => Faults.TruncatedJson(),
        "500" => Faults.ServerError(500),
        "503" => Faults.ServerError(503, ("retry-after", "30")),
        "429" => Faults.RateLimited("30"),
        "stall" => Respond.Stall(),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Complete_FirstDeploymentFails_NextOneAnswersWhole(string failure)
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(0, "FirstByteTimeout")] = "00:00:00.400";
            s[RoutedGateway.Key(1, "Priority")] = "2";
        });
        test.Upstreams[0].Behavior = Misbehave(failure);
        test.Upstreams[1].Behavior = Respond.Json(Respond.Completion);

        using var response = await test.PostChatAsync(stream: false);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(RoutedGateway.Deployment(1), StreamAssert.DeploymentOf(response));
        Assert.Equal(Fixtures.Text(Respond.Completion), body);
    }

    [Fact]
    public async Task Complete_Served_NamesTheDeploymentAndNothingSecret()
    {
        await using var test = await RoutedGateway.StartAsync(1);
        test.Upstreams[0].Behavior = Respond.Json(Respond.Completion);

        using var response = await test.PostChatAsync(stream: false);

        Assert.Equal(RoutedGateway.Deployment(0), StreamAssert.DeploymentOf(response));
        Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single(), StringComparison.Ordinal);
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(",", h.Value)));
        Assert.DoesNotContain("127.0.0.1", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-upstream", headers, StringComparison.Ordinal);
    }
}
