namespace Ops.Stack.Model;

/// <summary>The stage's SNS topics.</summary>
public sealed record TopicsSpec
{
    /// <summary>Notifications for staff (<c>iotile-staff-notifications-{stage}</c>).</summary>
    public required string Staff { get; init; }

    /// <summary>The Elastic Beanstalk environment's notifications (<c>iotile-web-notifications-{stage}</c>).</summary>
    public required string Web { get; init; }

    /// <summary>ElastiCache's event notifications (<c>iotile-redis-notifications-{stage}</c>).</summary>
    public required string Cache { get; init; }
}
