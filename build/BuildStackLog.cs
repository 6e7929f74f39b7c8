using Ops.Stack;
using Ops.Targets;

namespace Ops.Build;

/// <summary>Hands the domain's progress lines to the build log (prefixed with the target, secrets redacted).</summary>
sealed class BuildStackLog(IBuildLog log) : IStackLog
{
    public void Info(string message) => log.Info(message);

    public void Warning(string message) => log.Warning(message);

    public void Data(string text) => log.Data(text);

    public void Redact(string secret) => log.Redact(secret);
}
