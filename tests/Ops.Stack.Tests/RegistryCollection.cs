namespace Ops.Stack.Tests;

/// <summary>The tests that share one engine and one registry (<see cref="RegistryFixture"/>): build-docker end to end.</summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "engine and registry";
}
