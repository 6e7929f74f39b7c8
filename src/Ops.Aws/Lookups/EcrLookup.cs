using Ops.Aws.Ecr;

namespace Ops.Aws.Lookups;

/// <summary>ECR resources by name: null when there is none.</summary>
public static class EcrLookup
{
    public static async Task<Repository?> RepositoryAsync(EcrClient ecr, string name, CancellationToken ct)
    {
        try
        {
            return (await ecr.DescribeRepositoriesAsync(new DescribeRepositoriesRequest { RepositoryNames = [name] },
                ct).ConfigureAwait(false)).Repositories?.FirstOrDefault();
        }
        catch (Exception e) when (AwsErrors.Is(e, "RepositoryNotFoundException"))
        {
            return null;
        }
    }
}
