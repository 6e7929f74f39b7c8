namespace Ops.Stack;

/// <summary>Where domain operations report progress (the build adapts its log to it; tests capture it).</summary>
public interface IStackLog
{
    void Info(string message);
    void Warning(string message);
}
