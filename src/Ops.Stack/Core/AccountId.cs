using Ops.Aws.Sts;

namespace Ops.Stack.Core;

/// <summary>The account the connection's credentials belong to (STS GetCallerIdentity): what role, bucket and stream ARNs are built with;
/// read once per run.</summary>
internal static class AccountId
{
    public static Task<string> OfAsync(StageContext context, CancellationToken ct) =>
        context.Reads.Account.GetAsync(async () => (await new StsClient(context.Connection).GetCallerIdentityAsync(cancellationToken: ct)).Account!, ct);
}
