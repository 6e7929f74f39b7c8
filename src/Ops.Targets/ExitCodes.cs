namespace Ops.Targets;

/// <summary>The process exit codes of a build.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int TargetFailed = 1;
    public const int UsageError = 2;
    public const int Cancelled = 130;
}
