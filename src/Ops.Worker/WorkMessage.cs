using System.Text.Json.Nodes;

namespace Ops.Worker;

/// <summary>A work message's body in the original shape: <c>{"module": "...", "class": "...", "arguments": {...}}</c>.</summary>
internal sealed record WorkMessage(string Module, string Class, JsonObject Arguments)
{
    /// <summary>The action's name as the worker log records it in <c>task</c>: "module.class".</summary>
    public string Task => $"{Module}.{Class}";
}
