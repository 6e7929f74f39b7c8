namespace Ops.Stack.Status;

/// <summary>Swallows progress lines (a status dry run's "would change" lines become drift instead) but still hides every secret it is told of.</summary>
internal sealed class QuietLog(IStackLog log) : IStackLog
{
    public void Info(string message) { }

    public void Warning(string message) { }

    public void Data(string text) { }

    public void Redact(string secret) => log.Redact(secret);
}
