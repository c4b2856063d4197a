namespace Synaxis.Infra.Tests;

/// <summary>Tests that share one <see cref="InfraFixture"/>: the Bicep CLI runs once per artefact, not per test.</summary>
[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    public const string Name = "infra";
}
