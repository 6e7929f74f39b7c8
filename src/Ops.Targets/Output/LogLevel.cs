namespace Ops.Targets.Output;

internal enum LogLevel
{
    Info,
    Warning,
    Error,
    Success,
    Header,
}
