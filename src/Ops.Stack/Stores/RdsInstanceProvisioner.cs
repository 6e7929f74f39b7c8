using Ops.Aws.Lookups;
using Ops.Aws.Rds;
using Ops.Stack.Core;
using Ops.Stack.Secrets;
using Ops.Stack.Status;

namespace Ops.Stack.Stores;

/// <summary>
/// create-rds-instance: the stage's PostgreSQL instance (encrypted, deletion-protected, not public, in the database
/// security group), its master password generated into SSM when missing and never shown; waits until available.
/// Settings RDS changes in place are corrected with ApplyImmediately; an engine or encryption difference is reported.
/// </summary>
public sealed class RdsInstanceProvisioner(StageContext context) : IStatusSource
{
    /// <summary>Length of a generated master password (RDS allows 8–128).</summary>
    public const int PasswordLength = 32;

    readonly RdsClient _rds = new(context.Connection);

    string Id => context.Stack.Database.Identifier;

    string Resource => $"rds instance {Id}";

    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var spec = context.Stack.Database;
        var group = await new SecurityGroupsProvisioner(context).RequireAsync(context.Stack.SecurityGroups.Database, cancellationToken);
        var existing = await DescribeAsync(cancellationToken);
        var secrets = new SecretStore(context);
        var (password, passwordDrift) = await SettingDrift<ModifyDBInstanceMessage>.GeneratedPasswordAsync(
            secrets, spec.PasswordSecret, PasswordLength, (m, p) => m.MasterUserPassword = p, cancellationToken);
        var changes = new List<Change>();
        if (existing == null)
        {
            var change = new Change(Resource, "instance", null,
                $"postgres {spec.EngineVersion}, {spec.InstanceClass}, {spec.StorageGb} GiB gp3, {(spec.MultiAz ? "Multi-AZ" : "single-AZ")}, encrypted, deletion protection {(spec.DeletionProtection ? "on" : "off")}");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                await _rds.CreateDBInstanceAsync(new CreateDBInstanceMessage
                {
                    DBInstanceIdentifier = Id,
                    Engine = "postgres",
                    EngineVersion = spec.EngineVersion,
                    DBInstanceClass = spec.InstanceClass,
                    AllocatedStorage = spec.StorageGb,
                    StorageType = "gp3",
                    MultiAZ = spec.MultiAz,
                    StorageEncrypted = true,
                    DeletionProtection = spec.DeletionProtection,
                    BackupRetentionPeriod = spec.BackupRetentionDays,
                    CopyTagsToSnapshot = true,
                    PubliclyAccessible = false,
                    DBName = spec.Name,
                    MasterUsername = spec.MasterUser,
                    MasterUserPassword = password,
                    VpcSecurityGroupIds = [group!],
                    Tags = Tags(),
                }, cancellationToken);
                await WaitAvailableAsync(cancellationToken);
            });
            if (!context.DryRun && await DescribeAsync(cancellationToken) is { Endpoint: { } endpoint })
                context.Log.Info($"{Resource}: available at {endpoint.Address}:{endpoint.Port}, database {spec.Name}, user {spec.MasterUser} (password in SSM {secrets.ParameterName(spec.PasswordSecret)})");
            return changes;
        }

        if (existing.Engine != "postgres")
            throw new CloudStateException($"{Resource} exists with engine {existing.Engine}, not postgres; give database.identifier another name, or remove that instance yourself.");
        if (existing.StorageEncrypted != true)
            throw new CloudStateException($"{Resource} is not encrypted and RDS cannot encrypt an instance in place; snapshot it, copy the snapshot with encryption, restore it, and run create-rds-instance again.");
        if (Major(existing.EngineVersion) != Major(spec.EngineVersion))
            throw new CloudStateException($"{Resource} runs PostgreSQL {existing.EngineVersion}, the stack says {spec.EngineVersion}; a major upgrade is not done implicitly — upgrade it deliberately (ModifyDBInstance AllowMajorVersionUpgrade) or set database.engine-version to {existing.EngineVersion}.");

        var modify = new ModifyDBInstanceMessage { DBInstanceIdentifier = Id, ApplyImmediately = true };
        changes.AddRange(SettingDrift<ModifyDBInstanceMessage>.ApplyAll(Resource, Differences(existing).Concat(passwordDrift), modify));
        if (changes.Count > 0)
            await Mutation.ApplyAsync(context, changes, async () =>
            {
                await _rds.ModifyDBInstanceAsync(modify, cancellationToken);
                await WaitAvailableAsync(cancellationToken);
            });
        changes.AddRange(await TagAsync(existing, cancellationToken));
        if (changes.Count == 0) context.Log.Info($"{Resource}: up to date ({existing.DBInstanceStatus}, {existing.Endpoint?.Address}:{existing.Endpoint?.Port})");
        return changes;
    }

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var existing = await DescribeAsync(cancellationToken);
        if (existing == null) return [ResourceStatus.Missing("rds-instance", Id)];
        var drift = Differences(existing).Select(d => d.ToString()).ToList();
        if (existing.StorageEncrypted != true) drift.Add("encrypted: false → true");
        if (Major(existing.EngineVersion) != Major(context.Stack.Database.EngineVersion)) drift.Add($"engine version: {existing.EngineVersion} → {context.Stack.Database.EngineVersion}");
        var state = existing.Endpoint is { } e ? $"{existing.DBInstanceStatus} {e.Address}:{e.Port}" : existing.DBInstanceStatus ?? "unknown";
        return [new ResourceStatus("rds-instance", Id, true, state, existing.DBInstanceStatus == "available", drift)];
    }

    /// <summary>The instance's endpoint, or null when it does not exist (read calls only).</summary>
    public async Task<Endpoint?> EndpointAsync(CancellationToken cancellationToken) => (await DescribeAsync(cancellationToken))?.Endpoint;

    internal IEnumerable<SettingDrift<ModifyDBInstanceMessage>> Differences(DBInstance existing)
    {
        var spec = context.Stack.Database;
        if (existing.DBInstanceClass != spec.InstanceClass)
            yield return new("instance class", existing.DBInstanceClass ?? "?", spec.InstanceClass, m => m.DBInstanceClass = spec.InstanceClass);
        if ((existing.AllocatedStorage ?? 0) < spec.StorageGb)
            yield return new("storage GiB", $"{existing.AllocatedStorage}", $"{spec.StorageGb}", m => m.AllocatedStorage = spec.StorageGb);
        if ((existing.MultiAZ ?? false) != spec.MultiAz)
            yield return new("Multi-AZ", Flag(existing.MultiAZ), Flag(spec.MultiAz), m => m.MultiAZ = spec.MultiAz);
        if (existing.BackupRetentionPeriod != spec.BackupRetentionDays)
            yield return new("backup retention days", $"{existing.BackupRetentionPeriod}", $"{spec.BackupRetentionDays}", m => m.BackupRetentionPeriod = spec.BackupRetentionDays);
        if ((existing.DeletionProtection ?? false) != spec.DeletionProtection)
            yield return new("deletion protection", Flag(existing.DeletionProtection), Flag(spec.DeletionProtection), m => m.DeletionProtection = spec.DeletionProtection);
        if (existing.PubliclyAccessible == true)
            yield return new("publicly accessible", "true", "false", m => m.PubliclyAccessible = false);
    }

    async Task<List<Change>> TagAsync(DBInstance existing, CancellationToken ct)
    {
        var tags = (existing.TagList ?? []).Where(t => t.Key != null).ToDictionary(t => t.Key!, t => t.Value ?? "");
        return await StackTags.EnsureAsync(context, Resource, tags, missing => _rds.AddTagsToResourceAsync(new AddTagsToResourceMessage
        {
            ResourceName = existing.DBInstanceArn,
            Tags = missing.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
        }, ct));
    }

    Task<DBInstance?> DescribeAsync(CancellationToken ct) => RdsLookup.InstanceAsync(_rds, Id, ct);

    Task WaitAvailableAsync(CancellationToken ct) =>
        Waiting.UntilAsync(context, Resource, async token =>
        {
            var status = (await DescribeAsync(token))?.DBInstanceStatus ?? "missing";
            return (status == "available", status);
        }, ct);

    List<Tag> Tags() => context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();

    static string Major(string? version) => (version ?? "").Split('.')[0];

    static string Flag(bool? value) => value == true ? "true" : "false";
}
