using Ops.Stack;
using Ops.Stack.Model;
using Ops.Stack.Output;
using Ops.Targets;

namespace Ops.Build;

/// <summary>The stack as data: --stack and --output, the resolved stack of --stage, and the stack target.</summary>
sealed partial class Build
{
    [Parameter("Stack file overriding the built-in stack (default: ops.stack.yml, .yaml or .json at the repository root, if present).", Name = "stack")]
    public string? StackFile;

    [Parameter("How results print: text, or json on standard output (stack, status, describe-ecs, secrets-list, the rollout targets, drill; progress then goes to standard error). See docs/output.md.")]
    public OutputFormat Output = OutputFormat.Text;

    /// <summary>With --output json standard output carries only the results; every log line goes to standard error.</summary>
    protected override bool StandardOutputIsData => Json;

    /// <summary>--output json: targets print their results as JSON (docs/output.md).</summary>
    bool Json => Output == OutputFormat.Json;

    LoadedStack? _loadedStack;

    /// <summary>Every stage's stack, loaded and validated once; a broken file or unknown stage is a usage error (exit 2).</summary>
    LoadedStack LoadedStack => _loadedStack ??= StackLoader.Load(RootDirectory, StackFile);

    /// <summary>The resolved stack of --stage.</summary>
    StageStack StageStack => LoadedStack.For(Stage);

    /// <summary>
    /// Declare <c>.Validates(CheckStack)</c> on a target that reads the stack: the file and --stage are then loaded and
    /// checked before anything runs, so a mistake (a usage error, exit 2, naming the place and the fix) stops the build
    /// before its first AWS call.
    /// </summary>
    void CheckStack() => _ = StageStack;

    Target Stack => _ => _
        .Description("Print the resolved stack of --stage (--output json for JSON)")
        .Validates(CheckStack)
        .Executes(() =>
        {
            if (Json) Log.Data(StackJson.Write(StageStack));
            else foreach (var line in StackText.Lines(StageStack, LoadedStack.Source)) Log.Info(line);
        });
}
