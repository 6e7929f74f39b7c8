using Ops.Stack.Pipelines;
using Ops.Targets;

namespace Ops.Build;

/// <summary>The CI/CD workflows, generated from the stack and committed.</summary>
sealed partial class Build
{
    Target GeneratePipelines => _ => _
        .Description("Write the GitHub Actions workflows of every stage under .github/workflows/ (deploy on push, nightly drill, manual teardown and destroy; OIDC, one concurrency group per stage); commit them")
        .Executes(() =>
        {
            var stack = LoadedStack;
            var stages = stack.Stages.Select(stack.For).ToList();
            var files = PipelineGenerator.Generate(stages);
            foreach (var stage in PipelineGenerator.WithoutDeployRole(stages))
                Log.Warning($"stage {stage.Stage}: the workflows assume role {stage.Iam.DeployRole}, which create-iam makes only when the stack sets pipeline.repository: owner/name (the repository whose workflows may deploy it)");
            var changes = PipelineWriter.Sync(RootDirectory, files, DryRun);
            foreach (var (path, action) in changes) Log.Info($"{(DryRun ? "would " : "")}{action} {path}");
            Log.Info(changes.Count == 0
                ? $"{files.Count} workflow(s) up to date"
                : DryRun ? $"{changes.Count} change(s) would be made (dry run)" : $"{changes.Count} change(s) made; commit {PipelineGenerator.Directory}");
        });
}
