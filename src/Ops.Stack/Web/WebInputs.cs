namespace Ops.Stack.Web;

/// <summary>
/// What the web environment's settings take from other resources of the stage, when they exist: the web security
/// group's id, the web notification topic's ARN, and the RDS and Redis endpoints.
/// </summary>
public sealed record WebInputs(string? SecurityGroupId, string? TopicArn, string? DatabaseHost, int? DatabasePort, string? RedisHost, int? RedisPort);
