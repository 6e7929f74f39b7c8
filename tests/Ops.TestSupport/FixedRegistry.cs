using Ops.LocalCloud;

namespace Ops.TestSupport;

/// <summary>Test seam: LocalCloud's ECR repositories live in the test's registry (until LocalCloud runs its own).</summary>
public sealed class FixedRegistry(string host) : IRegistryBackend
{
    public string RepositoryUri(string account, string region, string repository) => $"{host}/{repository}";
}
