using Ops.Aws.Ssm;
using Ops.Stack.Core;

namespace Ops.Stack.Status;

/// <summary>One status row per secret the stage requires: whether its SSM parameter exists, its type and last change — never its value.</summary>
internal sealed class SecretsStatus(StageContext context) : IStatusSource
{
    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var secrets = context.Stack.Secrets;
        var wanted = secrets.Required.Concat(secrets.Generated).Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, ParameterMetadata>(StringComparer.Ordinal);
        var ssm = new SsmClient(context.Connection);
        await foreach (var parameter in ssm.DescribeParametersItemsAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Option = "BeginsWith", Values = [secrets.Prefix] }],
        }, cancellationToken))
            if (parameter.Name is { } name && name.StartsWith(secrets.Prefix, StringComparison.Ordinal))
                found[name[secrets.Prefix.Length..]] = parameter;
        return wanted.Select(name =>
        {
            var parameter = secrets.ParameterName(name);
            if (!found.TryGetValue(name, out var meta)) return ResourceStatus.Missing("secret", parameter);
            IReadOnlyList<string> drift = meta.Type == "SecureString" ? [] : [$"type: {meta.Type} → SecureString"];
            var state = $"{meta.Type}, changed {meta.LastModifiedDate?.UtcDateTime:yyyy-MM-dd HH:mm}Z";
            return new ResourceStatus("secret", parameter, true, state, drift.Count == 0, drift);
        }).ToList();
    }
}
