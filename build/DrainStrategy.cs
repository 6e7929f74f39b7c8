namespace Ops.Build;

/// <summary>How a rollout learns the workers are idle (--drain): kill messages acknowledged, or ECS task scale-in protection.</summary>
enum DrainStrategy
{
    KillAck,
    TaskProtection,
}
