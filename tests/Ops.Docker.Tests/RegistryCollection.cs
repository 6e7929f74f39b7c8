namespace Ops.Docker.Tests;

/// <summary>The tests that share one engine and one registry (<see cref="RegistryFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "engine and registry";
}
