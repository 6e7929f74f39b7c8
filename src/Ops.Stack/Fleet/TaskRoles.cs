namespace Ops.Stack.Fleet;

/// <summary>The roles a worker task definition names: the task role its containers run as and the execution role ECS's agent uses.</summary>
public sealed record TaskRoles(string TaskRoleArn, string ExecutionRoleArn)
{
    public static TaskRoles Of(Model.StageStack stack, string account) =>
        new($"arn:aws:iam::{account}:role/{stack.Iam.WorkerRole}", $"arn:aws:iam::{account}:role/{stack.Iam.ExecutionRole}");
}
