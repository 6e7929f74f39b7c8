using Ops.Stack.Output;

namespace Ops.Stack.Tests;

/// <summary>The stack file: merging defaults, stages and like:, {stage}, and the one-line error for each kind of mistake.</summary>
public class StackLoaderTests
{
    static string ErrorOf(string text) => Assert.Throws<StackException>(() => StackLoader.Parse("ops.stack.yml", text)).Message;

    [Fact]
    public void The_built_in_stack_has_IOTile_names_and_six_workers_in_prod()
    {
        var prod = StackLoader.BuiltIn().For("prod");
        Assert.Equal("iotile-worker-prod", prod.Queues.Work.Name);
        Assert.Equal("iotile-worker-prod-dlq", prod.Queues.Work.DeadLetterName);
        Assert.Equal("iotile-report-prod", prod.Queues.Report.Name);
        Assert.Equal("iotile-worker-logs-prod", prod.WorkerLogTable);
        Assert.Equal("iotile-cloud-server", prod.Repository.Name);
        Assert.Equal(6, prod.Ecs.DesiredCount);
        Assert.Equal("IOTileCloud", prod.Tags["Project"]);
        Assert.Equal(1, StackLoader.BuiltIn().For("dev").Ecs.DesiredCount);
        Assert.Equal(["dev", "stage", "prod"], StackLoader.BuiltIn().Stages);
    }

    [Fact]
    public void Prod_and_every_stage_like_prod_are_protected_unless_the_stack_says_otherwise()
    {
        var stack = StackLoader.Parse("ops.stack.yml", """
            stages:
              production: {like: prod}
              euprod: {like: production}
              qa: {}
              scratch: {like: prod, protected: false}
              sandbox: {protected: true}
            """);
        Assert.True(StackLoader.BuiltIn().For("prod").Protected);
        Assert.False(StackLoader.BuiltIn().For("dev").Protected);
        Assert.False(StackLoader.BuiltIn().For("stage").Protected);
        Assert.True(stack.For("production").Protected);
        Assert.True(stack.For("euprod").Protected);
        Assert.False(stack.For("qa").Protected);
        Assert.False(stack.For("scratch").Protected);
        Assert.True(stack.For("sandbox").Protected);
    }

    [Fact]
    public void A_file_with_only_a_comment_is_empty_and_an_error() =>
        Assert.Equal("ops.stack.yml:1:1: the stack file is empty — add defaults: or stages:, or delete the file to use the built-in stack", ErrorOf("# nothing\n"));

    [Fact]
    public void Defaults_apply_to_every_stage_and_a_stage_overrides_them()
    {
        var stack = StackLoader.Parse("ops.stack.yml", """
            defaults:
              project: Telemetry
              tags: {Team: platform}
              queues:
                work: {name: "tm-work-{stage}", visibility-timeout: 30m}
              ecs: {cluster: "tm-{stage}", environment: {LOG_LEVEL: info}}
            stages:
              prod:
                ecs: {desired-count: 9, environment: {LOG_LEVEL: warning}}
            """);
        var dev = stack.For("dev");
        var prod = stack.For("prod");
        Assert.Equal("tm-work-dev", dev.Queues.Work.Name);
        Assert.Equal("iotile-worker-dev-dlq", dev.Queues.Work.DeadLetterName);
        Assert.Equal(1800, dev.Queues.Work.VisibilityTimeoutSeconds);
        Assert.Equal("tm-prod", prod.Ecs.Cluster);
        Assert.Equal(9, prod.Ecs.DesiredCount);
        Assert.Equal(1, dev.Ecs.DesiredCount);
        Assert.Equal("warning", prod.Ecs.Environment["LOG_LEVEL"]);
        Assert.Equal("info", dev.Ecs.Environment["LOG_LEVEL"]);
        Assert.Equal("Telemetry", prod.Tags["Project"]);
        Assert.Equal("platform", prod.Tags["Team"]);
        Assert.Equal("prod", prod.Tags["Stage"]);
    }

    [Fact]
    public void A_new_stage_qa_like_prod_gets_prod_sizes_and_its_own_names()
    {
        var stack = StackLoader.Parse("ops.stack.yml", """
            stages:
              prod:
                instances: {count: 4}
              qa:
                like: prod
                ecs: {desired-count: 2}
            """);
        Assert.Equal(["dev", "stage", "prod", "qa"], stack.Stages);
        var qa = stack.For("QA");
        Assert.Equal("qa", qa.Stage);
        Assert.Equal("iotile-worker-qa", qa.Queues.Work.Name);
        Assert.Equal("iotile-qa", qa.Ecs.Cluster);
        Assert.Equal(2, qa.Ecs.DesiredCount);
        Assert.Equal(1024, qa.Ecs.Memory);
        Assert.Equal("m7i.large", qa.Instances.InstanceType);
        Assert.Equal(4, qa.Instances.Count);
        Assert.Equal("qa", qa.Tags["Stage"]);
    }

    [Fact]
    public void Yaml_and_json_files_give_the_same_stack()
    {
        var yaml = StackLoader.Parse("ops.stack.yml", """
            defaults:
              repository: {name: team/worker, keep-images: 10}
              worker: {longest-message: 20m, drain: task-protection}
              queues: {work: {visibility-timeout: 1h}}
            stages:
              qa:
                local: {command: [dotnet, app/Worker.dll], directory: app}
            """);
        var json = StackLoader.Parse("ops.stack.json", """
            {
              "defaults": {
                "repository": {"name": "team/worker", "keep-images": 10},
                "worker": {"longest-message": 1200, "drain": "task-protection"},
                "queues": {"work": {"visibility-timeout": "3600s"}}
              },
              "stages": {
                "qa": {"local": {"command": ["dotnet", "app/Worker.dll"], "directory": "app"}}
              }
            }
            """);
        foreach (var stage in new[] { "dev", "prod", "qa" })
            Assert.Equal(StackJson.Write(yaml.For(stage)), StackJson.Write(json.For(stage)));
        Assert.Equal(1200, json.For("qa").Worker.LongestMessageSeconds);
        Assert.Equal(["dotnet", "app/Worker.dll"], json.For("qa").Local.Command);
    }

    [Fact]
    public void The_json_output_of_a_stage_is_itself_a_stage_section_that_loads_to_the_same_stack()
    {
        var prod = StackLoader.Parse("ops.stack.yml", "defaults:\n  tags: {Team: platform}\n  instances: {subnet: subnet-0123456789abcdef0}\n").For("prod");
        var json = StackJson.ToJson(prod);
        json.Remove("stage");
        var again = StackLoader.Parse("copy.json", "{\"stages\": {\"prod\": " + json.ToJsonString() + "}}").For("prod");
        Assert.Equal(StackJson.Write(prod), StackJson.Write(again));
    }

    [Fact]
    public void An_undefined_stage_names_the_defined_ones_and_the_fix() =>
        Assert.Equal("--stage 'qa' is not defined by the stack (stages: dev, stage, prod); add it under stages: in ops.stack.yml",
            Assert.Throws<StackException>(() => StackLoader.BuiltIn().For("qa")).Message);

    [Theory]
    [InlineData("defaults:\n  ecs:\n    desired_count: 3\n",
        "ops.stack.yml:3:5: defaults.ecs.desired_count: unknown field — did you mean desired-count?")]
    [InlineData("defaults:\n  ecs:\n    desired-count: 5000\n",
        "ops.stack.yml:3:5: defaults.ecs.desired-count: 5000 is out of range 0–1000 — use a value from 0–1000")]
    [InlineData("stages:\n  prod:\n    ecs: {desired-count: six}\n",
        "ops.stack.yml:3:11: stages.prod.ecs.desired-count: expected a whole number, got 'six' — write it without quotes, like 6")]
    [InlineData("defaults:\n  queues:\n    work:\n      name: iotile worker\n",
        "ops.stack.yml:4:7: defaults.queues.work.name: 'iotile worker' is not a valid SQS queue name (1–80 letters, digits, - and _) — rename it, like iotile-worker-{stage}")]
    [InlineData("defaults:\n  queues:\n    work:\n      visibility-timeout: 5m\n",
        "ops.stack.yml:4:7: defaults.queues.work.visibility-timeout: visibility timeout 5m is not above worker.longest-message 10m, so a message still being processed would be delivered again — make queues.work.visibility-timeout longer than worker.longest-message")]
    [InlineData("stages:\n  prod:\n    queues:\n      work: {dead-letter: \"iotile-worker-{stage}\"}\n",
        "ops.stack.yml:4:14: stages.prod.queues.work.dead-letter: 'iotile-worker-prod' is the queue's own name — name the dead-letter queue differently, like iotile-worker-prod-dlq")]
    [InlineData("defaults:\n  project: a\n  project: b\n",
        "ops.stack.yml:3:3: duplicate key 'project' — keep one of them")]
    [InlineData("stages:\n  qa:\n    like: staging\n",
        "ops.stack.yml:3:11: stages.qa.like: stage 'staging' is not defined (stages: dev, stage, prod, qa) — define it under stages: or name one of those")]
    [InlineData("defaults:\n  repository: {name: IOTile_Server}\n",
        "ops.stack.yml:2:16: defaults.repository.name: 'IOTile_Server' is not a valid ECR repository name (2–256 lowercase letters and digits, separated by single . _ - or /) — rename it, like iotile-cloud-server")]
    [InlineData("defaults:\n  worker-log-table: ab\n",
        "ops.stack.yml:2:3: defaults.worker-log-table: 'ab' is not a valid DynamoDB table name (3–255 letters, digits, _ - and .) — rename it, like iotile-worker-logs-{stage}")]
    [InlineData("defaults:\n  ecs: {cluster: \"iotile/{stage}\"}\n",
        "ops.stack.yml:2:9: defaults.ecs.cluster: 'iotile/dev' is not a valid ECS name (1–255 letters, digits, - and _) — rename it, like iotile-worker-{stage}")]
    [InlineData("defaults:\n  ecs: {log-group: \"/ecs/worker logs\"}\n",
        "ops.stack.yml:2:9: defaults.ecs.log-group: '/ecs/worker logs' is not a valid CloudWatch Logs group name (1–512 letters, digits and . _ - / #) — rename it, like /ecs/iotile-worker-{stage}")]
    [InlineData("defaults:\n  tags:\n    \"aws:owner\": me\n",
        "ops.stack.yml:3:5: defaults.tags.aws:owner: 'aws:owner' is not a valid tag key (1–128 letters, digits, spaces and _ . : / = + - @, not starting with aws:) — rename it, like Team")]
    [InlineData("defaults:\n  queues: {work: {name: \"w-{stag}\"}}\n",
        "ops.stack.yml:2:19: defaults.queues.work.name: unknown placeholder {stag} — only {stage} is expanded")]
    [InlineData("defaults:\n  ecs:\n    environment: {AWS_SECRET_ACCESS_KEY: x}\n",
        "ops.stack.yml:3:19: defaults.ecs.environment.AWS_SECRET_ACCESS_KEY: AWS_SECRET_ACCESS_KEY may not be set here — credentials never go in the stack file; the task role gives the workers theirs; remove it")]
    [InlineData("defaults:\n  rollout: {drain-timeout: 5s}\n",
        "ops.stack.yml:2:13: defaults.rollout.drain-timeout: 5s is out of range 10s–12h — use a value from 10s–12h")]
    [InlineData("defaults:\n  rollout: {table: \"iotile-worker-logs-{stage}\"}\n",
        "ops.stack.yml:2:13: defaults.rollout.table: 'iotile-worker-logs-dev' is also worker-log-table — the rollout needs its own table, like iotile-rollouts-dev")]
    [InlineData("defaults:\n  ecs:\n    environment: {OPS_DRAIN: kill-ack}\n",
        "ops.stack.yml:3:19: defaults.ecs.environment.OPS_DRAIN: OPS_DRAIN may not be set here — Ops sets it from worker.drain; remove it")]
    [InlineData("defaults:\n  worker: {drain: kill}\n",
        "ops.stack.yml:2:12: defaults.worker.drain: 'kill' is not one of kill-ack, task-protection — use one of them")]
    [InlineData("defaults:\n  ecs: {launch-type: fargate}\n",
        "ops.stack.yml:2:9: defaults.ecs.launch-type: 'fargate' is not one of EC2, FARGATE — use one of them")]
    [InlineData("defaults:\n  queues: {work: {visibility-timeout: 15 minutes}}\n",
        "ops.stack.yml:2:19: defaults.queues.work.visibility-timeout: '15 minutes' is not a duration — write seconds (900) or with units d, h, m, s (15m, 1h30m, 4d)")]
    [InlineData("project: Telemetry\n",
        "ops.stack.yml:1:1: project: a stack field at the top level — put it under defaults: (every stage) or stages.<name>: (one stage)")]
    [InlineData("stages:\n  QA: {}\n",
        "ops.stack.yml:2:3: stages.QA: 'QA' is not a stage name (1–20 lowercase letters, digits and -, starting with a letter) — rename it, like qa")]
    [InlineData("defaults:\n  ecs: [cluster]\n",
        "ops.stack.yml:2:3: defaults.ecs: expected a section (key: value lines), got a list — indent its fields under ecs:")]
    [InlineData("defaults:\n  ecs: {log-retention-days: 10}\n",
        "ops.stack.yml:2:9: defaults.ecs.log-retention-days: 10 is not a retention CloudWatch Logs offers — use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653")]
    [InlineData("stages:\n  a:\n    like: b\n  b:\n    like: a\n",
        "ops.stack.yml:5:11: stages.b.like: 'a' leads back to b (a → b → a) — break the cycle")]
    [InlineData("defaults:\n  queues:\n    report: {name: \"iotile-worker-{stage}\"}\n",
        "ops.stack.yml:3:14: defaults.queues.report.name: 'iotile-worker-dev' is also queues.work.name — give each queue its own name")]
    [InlineData("defaults:\n  ecs: {cpu: 64}\n",
        "ops.stack.yml:2:9: defaults.ecs.cpu: 64 is out of range 128–10240 — use a value from 128–10240")]
    [InlineData("defaults:\n  image: {context: ../elsewhere}\n",
        "ops.stack.yml:2:11: defaults.image.context: '../elsewhere' is not a valid path inside the repository (relative to the repository root, without ..) — rename it, like workers")]
    [InlineData("defaults:\n  ecs: {cluster: x\n",
        "ops.stack.yml:3:1: not valid YAML or JSON: while parsing a flow mapping, did not find expected ',' or '}' — fix the syntax here")]
    public void A_bad_stack_file_is_one_line_naming_the_place_the_problem_and_the_fix(string text, string error) =>
        Assert.Equal(error, ErrorOf(text));

    [Fact]
    public void More_than_fifty_tags_with_ops_own_three_are_refused()
    {
        var tags = string.Join("\n", Enumerable.Range(1, 48).Select(i => $"    T{i}: v"));
        Assert.Equal("ops.stack.yml:2:3: defaults.tags: 51 tags, with Project, Stage and ManagedBy — AWS allows 50 per resource; remove 1",
            ErrorOf($"defaults:\n  tags:\n{tags}\n"));
    }

    [Fact]
    public void A_json_file_reports_line_and_column_too() =>
        Assert.Equal("ops.stack.json:3:13: defaults.ecs.desired-count: 2000 is out of range 0–1000 — use a value from 0–1000",
            Assert.Throws<StackException>(() => StackLoader.Parse("ops.stack.json", "{\n  \"defaults\": {\n    \"ecs\": {\"desired-count\": 2000}\n  }\n}\n")).Message);

    [Fact]
    public void The_stack_file_is_found_at_the_root_and_two_of_them_are_an_error()
    {
        var root = Directory.CreateTempSubdirectory("ops-stack-").FullName;
        try
        {
            Assert.Null(StackLoader.Load(root, null).Source);
            File.WriteAllText(Path.Combine(root, "ops.stack.yml"), "stages:\n  qa: {}\n");
            Assert.Equal("ops.stack.yml", StackLoader.Load(root, null).Source);
            Assert.Equal("iotile-worker-qa", StackLoader.Load(root, null).For("qa").Queues.Work.Name);
            File.WriteAllText(Path.Combine(root, "ops.stack.json"), "{}");
            Assert.Equal("ops.stack.json: there is also ops.stack.yml — keep one stack file at the repository root, or pick one with --stack",
                Assert.Throws<StackException>(() => StackLoader.Load(root, null)).Message);
            Assert.Equal($"--stack 'missing.yml' does not exist (looked for {Path.Combine(root, "missing.yml")}) — pass the path of a stack file, relative to the repository root or absolute",
                Assert.Throws<StackException>(() => StackLoader.Load(root, "missing.yml")).Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
