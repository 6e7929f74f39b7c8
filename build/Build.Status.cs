using Ops.Stack.Status;
using Ops.Targets;

namespace Ops.Build;

/// <summary>status: one table of every resource of the stage.</summary>
sealed partial class Build
{
    Target Status => _ => _
        .Description("Show every resource of the stage: exists, state, health, drift from the stack (--output json for the documented schema); read calls only")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(async f =>
        {
            await new StackStatus(f).PrintAsync(Json, ct);
            return [];
        }, ct));
}
