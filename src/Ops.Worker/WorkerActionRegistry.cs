namespace Ops.Worker;

/// <summary>The handlers this worker knows, by "module.class"; a message naming another is a failure.</summary>
internal sealed class WorkerActionRegistry
{
    readonly Dictionary<string, IWorkerAction> _actions = new(StringComparer.Ordinal);

    public WorkerActionRegistry(IEnumerable<IWorkerAction> actions)
    {
        foreach (var action in actions)
        {
            var key = Key(action.Module, action.Class);
            if (!_actions.TryAdd(key, action))
                throw new ArgumentException($"Two handlers are registered for {key}; keep one.", nameof(actions));
        }
    }

    /// <summary>The built-in handlers: ops.worker.Sleep and ops.worker.Fail.</summary>
    public static WorkerActionRegistry BuiltIn(TimeProvider clock) => new([new Actions.SleepAction(clock), new Actions.FailAction()]);

    /// <summary>"module.class" of every handler, sorted, for messages that name an unknown one.</summary>
    public IReadOnlyList<string> Names => _actions.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The handler for this message, or null when none is registered.</summary>
    public IWorkerAction? Find(WorkMessage message) => _actions.GetValueOrDefault(Key(message.Module, message.Class));

    static string Key(string module, string @class) => $"{module}.{@class}";
}
