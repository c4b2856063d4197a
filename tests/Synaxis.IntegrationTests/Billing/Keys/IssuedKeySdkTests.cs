using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Synaxis.IntegrationTests.Billing.Keys;

/// <summary>The official OpenAI .NET SDK with an issued key, changed only in endpoint and key.</summary>
public sealed class IssuedKeySdkTests
{
    [Fact]
    public async Task Sdk_WithIssuedKey_StreamsAChat_ListsItsModels_AndIsRefusedOnceRevoked()
    {
        await using var test = await KeysGateway.StartAsync();
        var created = await test.IssueAsync("""{"owner":"acme","allowed_models":["gpt-4"]}""");
        var options = new OpenAIClientOptions { Endpoint = new Uri(test.Gateway.BaseUrl, "v1") };
        var credential = new ApiKeyCredential(created["key"]!.GetValue<string>());

        var text = new System.Text.StringBuilder();
        await foreach (var update in new ChatClient("gpt-4", credential, options).CompleteChatStreamingAsync([new UserChatMessage("hello")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.NotEqual(0, text.Length);
        var models = await new OpenAIModelClient(credential, options).GetModelsAsync();
        Assert.Equal(["gpt-4"], models.Value.Select(m => m.Id));

        using (await test.AdminAsync(HttpMethod.Post, $"admin/keys/{created["id"]}/revoke"))
        {
        }

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => new ChatClient("gpt-4", credential, options).CompleteChatAsync([new UserChatMessage("hello")]));
        Assert.Equal(401, refused.Status);
    }
}
