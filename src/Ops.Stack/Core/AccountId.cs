using Ops.Aws.Sts;

namespace Ops.Stack.Core;

/// <summary>The account the connection's credentials belong to (STS GetCallerIdentity): what role, bucket and stream ARNs are built with.</summary>
internal static class AccountId
{
    public static async Task<string> OfAsync(StageContext context, CancellationToken ct) =>
        (await new StsClient(context.Connection).GetCallerIdentityAsync(cancellationToken: ct)).Account!;
}
