namespace Ops.Stack.Model;

/// <summary>The stage's RDS PostgreSQL instance: always encrypted; its master password lives in SSM, never in the stack.</summary>
public sealed record DatabaseSpec
{
    /// <summary>The DB instance identifier (<c>iotile-db-{stage}</c>).</summary>
    public required string Identifier { get; init; }

    /// <summary>PostgreSQL engine version (17.4).</summary>
    public string EngineVersion { get; init; } = "17.4";

    /// <summary>Instance class: db.t4g.micro, prod db.m7g.large.</summary>
    public required string InstanceClass { get; init; }

    /// <summary>Allocated gp3 storage in GiB (20, prod 100).</summary>
    public int StorageGb { get; init; } = 20;

    /// <summary>A standby in a second availability zone (prod only by default).</summary>
    public bool MultiAz { get; init; }

    /// <summary>The database created with the instance (<c>iotile</c>).</summary>
    public string Name { get; init; } = "iotile";

    /// <summary>The master user name (<c>iotile</c>).</summary>
    public string MasterUser { get; init; } = "iotile";

    /// <summary>The secret (a name under <c>secrets.prefix</c>) holding the master password (<c>RdsPassword</c>).</summary>
    public string PasswordSecret { get; init; } = "RdsPassword";

    /// <summary>Days of automated backups (7).</summary>
    public int BackupRetentionDays { get; init; } = 7;

    /// <summary>Refuse DeleteDBInstance until turned off (true).</summary>
    public bool DeletionProtection { get; init; } = true;
}
