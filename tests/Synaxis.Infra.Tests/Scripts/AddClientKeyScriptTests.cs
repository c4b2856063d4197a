namespace Synaxis.Infra.Tests.Scripts;

/// <summary>infra/scripts/add-client-key.sh against a vault on disk.</summary>
public sealed class AddClientKeyScriptTests : IDisposable
{
    private const string Script = "infra/scripts/add-client-key.sh";
    private const string Secret = "synaxis-client-keys";

    private readonly FakeAzureCli azure = new();

    [Fact]
    public void FirstKey_CreatesTheSecret_AndPrintsOnlyTheKey()
    {
        var (exitCode, stdout, stderr) = azure.Run(Script);

        Assert.True(exitCode == 0, stderr);
        var key = stdout.Trim();
        Assert.Matches("^sk-syn-[0-9a-f]{48}$", key);
        Assert.Equal(key, azure.Secret(Secret));
    }

    [Fact]
    public void AnotherKey_IsAppended_SoExistingClientsKeepWorking()
    {
        azure.SetSecret(Secret, "sk-syn-old-1,sk-syn-old-2");

        var (exitCode, stdout, stderr) = azure.Run(Script);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal($"sk-syn-old-1,sk-syn-old-2,{stdout.Trim()}", azure.Secret(Secret));
    }

    [Fact]
    public void Keys_NeverAppearOnACommandLine()
    {
        azure.SetSecret(Secret, "sk-syn-old-1");

        var (_, stdout, _) = azure.Run(Script);

        Assert.DoesNotContain(stdout.Trim(), azure.Calls, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-syn-old-1", azure.Calls, StringComparison.Ordinal);
        Assert.Contains($"--vault-name {FakeAzureCli.VaultName} --name {Secret}", azure.Calls, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAccessToTheVault_FailsAndWritesNothing()
    {
        azure.SetSecret(Secret, "sk-syn-old-1");
        azure.Forbid();

        var (exitCode, stdout, stderr) = azure.Run(Script);

        Assert.NotEqual(0, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("Forbidden", stderr, StringComparison.Ordinal);
        Assert.Equal("sk-syn-old-1", azure.Secret(Secret));
        Assert.DoesNotContain("secret set", azure.Calls, StringComparison.Ordinal);
    }

    public void Dispose() => azure.Dispose();
}
