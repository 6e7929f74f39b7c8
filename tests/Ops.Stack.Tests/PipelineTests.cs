using Ops.Stack.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Ops.Stack.Tests;

/// <summary>The generated GitHub Actions workflows: committed exactly as the stack generates them, OIDC only, one concurrency group per stage.</summary>
public sealed class PipelineTests
{
    static IReadOnlyDictionary<string, string> FromStack(LoadedStack stack) => PipelineGenerator.Generate(stack.Stages.Select(stack.For).ToList());

    static YamlMappingNode Parse(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    static string At(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path) current = ((YamlMappingNode)current).Children[new YamlScalarNode(key)];
        return ((YamlScalarNode)current).Value!;
    }

    [Fact]
    public void The_committed_workflows_are_what_the_stack_generates_byte_for_byte()
    {
        var root = FleetCloud.RepositoryRoot;
        var files = FromStack(StackLoader.Load(root, null));
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            Assert.True(File.Exists(full), $"{path} is not committed: run ./build.sh generate-pipelines and commit it");
            Assert.True(File.ReadAllText(full) == content, $"{path} differs from what the stack generates: run ./build.sh generate-pipelines and commit it");
        }
        Assert.Empty(PipelineWriter.Sync(root, files, dryRun: true));
    }

    [Fact]
    public void Every_job_assumes_its_role_by_OIDC_in_its_stages_concurrency_group_and_no_key_is_stored()
    {
        var files = FromStack(StackLoader.BuiltIn());
        Assert.Equal([".github/workflows/ops-deploy-dev.yml", ".github/workflows/ops-destroy.yml", ".github/workflows/ops-drill-dev.yml", ".github/workflows/ops-teardown.yml"], files.Keys);
        foreach (var (path, text) in files)
        {
            var doc = Parse(text);
            Assert.Equal("write", At(doc, "permissions", "id-token"));
            Assert.Equal("read", At(doc, "permissions", "contents"));
            Assert.StartsWith("ops-", At(doc, "concurrency", "group"));
            Assert.Equal("false", At(doc, "concurrency", "cancel-in-progress"));
            Assert.Contains("role-to-assume: arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/", text);
            Assert.DoesNotContain("aws-access-key-id", text);
            Assert.DoesNotContain("secrets.", text);
            Assert.StartsWith(PipelineGenerator.Header + "\n", text);
        }
        Assert.Equal("ops-dev", At(Parse(files[".github/workflows/ops-deploy-dev.yml"]), "concurrency", "group"));
        // Each stage's own deploy role (create-iam makes it); the manual workflows look the chosen stage's up.
        Assert.Contains("role-to-assume: arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/iotile-deploy-dev\n", files[".github/workflows/ops-deploy-dev.yml"]);
        Assert.Contains("""role/${{ fromJSON('{"dev":"iotile-deploy-dev","stage":"iotile-deploy-stage","prod":"iotile-deploy-prod"}')[inputs.stage] }}""", files[".github/workflows/ops-destroy.yml"]);
        Assert.Contains("./build.sh destroy --stage \"$STAGE\" --cloud aws --destroy-data --confirm \"$CONFIRM\" $ALLOW_PROD", files[".github/workflows/ops-destroy.yml"]);
        Assert.Contains("if [ \"$CONFIRM\" != \"$STAGE\" ]", files[".github/workflows/ops-teardown.yml"]);
    }

    [Fact]
    public void The_stacks_pipeline_fields_choose_the_workflows_and_the_schedule()
    {
        var stack = StackLoader.Parse("ops.stack.yml", """
            stages:
              qa:
                pipeline: {deploy-on-push: true}
              nightly:
                pipeline: {nightly-drill: true, drill-schedule: "0 2 * * 1"}
            """);
        var files = FromStack(stack);
        Assert.Contains(".github/workflows/ops-deploy-qa.yml", files.Keys);
        Assert.DoesNotContain(".github/workflows/ops-drill-qa.yml", files.Keys);
        var drill = Parse(files[".github/workflows/ops-drill-nightly.yml"]);
        Assert.Contains("- cron: \"0 2 * * 1\"", files[".github/workflows/ops-drill-nightly.yml"]);
        Assert.Equal("ops-nightly", At(drill, "concurrency", "group"));
        Assert.Contains("options: [dev, stage, prod, qa, nightly]", files[".github/workflows/ops-teardown.yml"]);

        var bad = Assert.Throws<StackException>(() => StackLoader.Parse("ops.stack.yml", "stages:\n  qa:\n    pipeline: {drill-schedule: every night}\n"));
        Assert.Contains("pipeline.drill-schedule", bad.Message);
    }

    [Fact]
    public void Syncing_writes_changes_removes_stale_generated_files_and_leaves_other_workflows_alone()
    {
        var root = Directory.CreateTempSubdirectory("ops-pipelines-").FullName;
        var workflows = Path.Combine(root, ".github", "workflows");
        Directory.CreateDirectory(workflows);
        File.WriteAllText(Path.Combine(workflows, "ops-deploy-old.yml"), PipelineGenerator.Header + "\nname: old\n");
        File.WriteAllText(Path.Combine(workflows, "ci.yml"), "name: ci\n");
        var files = FromStack(StackLoader.BuiltIn());

        var dry = PipelineWriter.Sync(root, files, dryRun: true);
        Assert.Contains((".github/workflows/ops-deploy-old.yml", "delete"), dry);
        Assert.True(File.Exists(Path.Combine(workflows, "ops-deploy-old.yml")));

        var made = PipelineWriter.Sync(root, files, dryRun: false);
        Assert.Equal(dry, made);
        Assert.False(File.Exists(Path.Combine(workflows, "ops-deploy-old.yml")));
        Assert.Equal("name: ci\n", File.ReadAllText(Path.Combine(workflows, "ci.yml")));
        Assert.Empty(PipelineWriter.Sync(root, files, dryRun: false));
        Directory.Delete(root, recursive: true);
    }
}
