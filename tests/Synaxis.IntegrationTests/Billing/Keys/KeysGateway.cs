using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing.Keys;

/// <summary>The standalone gateway on Azurite with an admin key and a mock model, and helpers to call its admin API.</summary>
internal sealed class KeysGateway : IAsyncDisposable
{
    public const string AdminKey = "adm-test-0123456789abcdef";

    private KeysGateway(GatewayServer gateway, string connectionString, string prefix)
    {
        Gateway = gateway;
        Prefix = prefix;
        Tables = new TableServiceClient(connectionString);
        // UTF-8 header values, so a test can send a key with non-ASCII characters as a careless client would.
        Http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = gateway.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public GatewayServer Gateway { get; }

    public string Prefix { get; }

    public TableServiceClient Tables { get; }

    public HttpClient Http { get; }

    public static async Task<KeysGateway> StartAsync(
        Action<Dictionary<string, string?>>? settings = null, Azurite? azurite = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        azurite ??= await Azurite.SharedAsync();
        var prefix = Azurite.NewTablePrefix();
        var values = new Dictionary<string, string?>
        {
            ["Synaxis:Billing:ConnectionString"] = azurite.ConnectionString,
            ["Synaxis:Billing:TablePrefix"] = prefix,
            ["synaxis-admin-key"] = AdminKey,
            ["Synaxis:ApiKeys:0"] = "sk-configured-operator-key",
            ["Synaxis:Models:0:Name"] = "gpt-4",
            ["Synaxis:Models:0:Aliases:0"] = "gpt-4o",
            ["Synaxis:Models:0:Provider"] = "mock",
            ["Synaxis:Models:1:Name"] = "gpt-3.5-turbo",
            ["Synaxis:Models:1:Provider"] = "mock",
            ["Synaxis:Mock:FirstTokenDelay"] = "00:00:00",
            ["Synaxis:Mock:TokenDelay"] = "00:00:00",
        };
        settings?.Invoke(values);
        return new KeysGateway(await GatewayServer.StartAsync(values, configure), azurite.ConnectionString, prefix);
    }

    public Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? json = null, string? adminKey = AdminKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (adminKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return Http.SendAsync(request);
    }

    /// <summary>Issues a key and returns the creation answer (with <c>key</c> and <c>id</c>).</summary>
    public async Task<JsonObject> IssueAsync(string json = """{"owner":"acme"}""")
    {
        using var response = await AdminAsync(HttpMethod.Post, "admin/keys", json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    public Task<HttpResponseMessage> ChatAsync(string? key, string model = "gpt-4")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model, messages = new[] { new { role = "user", content = "hi" } } }),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        return Http.SendAsync(request);
    }

    public TableClient Table(string name) => Tables.GetTableClient(Prefix + name);

    public static async Task<JsonObject> ErrorOf(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
    }
}
