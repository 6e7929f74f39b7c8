namespace Ops.Stack.Tests;

/// <summary>
/// A second <see cref="EndToEndCloud"/>: the end-to-end tests on it run beside those on the first
/// (<see cref="EndToEndCloudCollection"/>), each collection's tests one at a time on a local cloud of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SecondEndToEndCloudCollection : ICollectionFixture<EndToEndCloud>
{
    public const string Name = "fleet end to end, second cloud";
}
