using Ops.Stack.Drills;
using Ops.Targets;

namespace Ops.Build;

/// <summary>Teardown and recreate of the stage's compute: the data stays, the workers drain first, the deployed versions come back.</summary>
sealed partial class Build
{
    Target Teardown => _ => _
        .Description("Drain the workers, then remove the stage's compute (Elastic Beanstalk environment, ECS service, task definitions, instances); keeps every data store, queue, table, bucket, topic and secret")
        .Requires(() => StackIsValid)
        .Requires(() => RolloutInputsAreValid)
        .Executes(ct => FleetAsync(async f => await new StageTeardown(await RolloutAsync(f, ct)).TeardownAsync(ct), ct));

    Target Recreate => _ => _
        .Description("Bring the stage's compute back after a teardown: the workers on the image and the web environment on the version recorded at deploy time")
        .Requires(() => StackIsValid)
        .After(Teardown)
        .Executes(ct => FleetAsync(f => new StageRecreate(f).RecreateAsync(ct), ct));
}
