namespace Ops.Targets.Tests;

public class ParameterTests
{
    public enum Flavor { Vanilla, DarkChocolate }

    sealed class TypedBuild : BuildBase
    {
        [Parameter("A name")] public string Name = "initial";
        [Parameter] public int Count = 1;
        [Parameter] public bool Force;
        [Parameter] public Flavor Flavor = Flavor.Vanilla;
        [Parameter] public TimeSpan Timeout = TimeSpan.FromMinutes(1);
        [Parameter] public string[] Tags = [];
        [Parameter] public Uri? Endpoint;
        [Parameter] public int? Limit;
        public Target Noop => _ => _.Executes(() => { });
    }

    static Dictionary<string, string> Env(params (string, string)[] pairs) => pairs.ToDictionary(p => p.Item1, p => p.Item2);

    [Fact]
    public async Task Values_of_every_supported_type_are_parsed_from_the_command_line()
    {
        var b = new TypedBuild();
        var run = await Run.Build(b, "noop --name x --count 7 --force --flavor dark-chocolate --timeout 1h30m --tags a b c --endpoint http://127.0.0.1:4566 --limit 3");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(("x", 7, true, Flavor.DarkChocolate), (b.Name, b.Count, b.Force, b.Flavor));
        Assert.Equal(TimeSpan.FromMinutes(90), b.Timeout);
        Assert.Equal(["a", "b", "c"], b.Tags);
        Assert.Equal(new Uri("http://127.0.0.1:4566"), b.Endpoint);
        Assert.Equal(3, b.Limit);
    }

    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("5m", 300_000)]
    [InlineData("250ms", 250)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("01:00:05", 3_605_000)]
    [InlineData("2d", 172_800_000)]
    public async Task Durations_take_units(string text, long milliseconds)
    {
        var b = new TypedBuild();
        await Run.Build(b, $"noop --timeout {text}");
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), b.Timeout);
    }

    [Theory]
    [InlineData("--count many", "--count (from the command line): 'many' is not a whole number.")]
    [InlineData("--flavor mint", "--flavor (from the command line): 'mint' is not one of vanilla, dark-chocolate.")]
    [InlineData("--timeout 90", "--timeout (from the command line): '90' is not a duration; use a number with a unit, like 90s, 5m, 1h30m or 250ms.")]
    [InlineData("--timeout 99999999999d", "--timeout (from the command line): '99999999999d' is longer than the longest duration a wait can take, 24d20h31m23s646ms; use a shorter one, like 30m or 2h.")]
    [InlineData("--timeout 25d", "--timeout (from the command line): '25d' is longer than the longest duration a wait can take, 24d20h31m23s646ms; use a shorter one, like 30m or 2h.")]
    [InlineData("--force maybe", "--force (from the command line): 'maybe' is not a bool; use true or false.")]
    [InlineData("--endpoint not-a-url", "--endpoint (from the command line): 'not-a-url' is not an absolute URL (like http://127.0.0.1:4566).")]
    [InlineData("--count 1 2", "--count (from the command line): takes one value, got 2 ('1 2'); name targets before the first --option or with --target.")]
    [InlineData("--cuont 3", "Unknown parameter '--cuont' on the command line; did you mean --count?")]
    [InlineData("--parallel 0", "--parallel takes one whole number of at least 1, got '0'.")]
    [InlineData("--plan=now", "--plan takes no value, got 'now'.")]
    [InlineData("--verbosity loud", "--verbosity takes one of quiet, normal, verbose, got 'loud'.")]
    public async Task A_bad_value_or_unknown_parameter_is_one_usage_line_and_exit_2(string args, string expected)
    {
        var run = await Run.Build(new TypedBuild(), "noop " + args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {expected}", run.Err.Trim());
        Assert.Empty(run.Report.Results);
    }

    [Fact]
    public async Task Precedence_is_cli_then_env_then_profile_then_parameters_json_then_default()
    {
        using var root = new TestRoot()
            .WithFile("parameters.json", """{ "$schema": "x", "Name": "from-json", "Count": 2, "Tags": ["j1", "j2"], "Force": true }""")
            .WithFile("parameters.ci.json", """{ "name": "from-profile", "count": 3 }""");

        var b = new TypedBuild();
        await Run.Build(b, "noop", root);
        Assert.Equal(("from-json", 2, true), (b.Name, b.Count, b.Force));
        Assert.Equal(["j1", "j2"], b.Tags);
        Assert.Equal(Flavor.Vanilla, b.Flavor);   // default

        b = new TypedBuild();
        await Run.Build(b, "noop --profile ci", root);
        Assert.Equal(("from-profile", 3), (b.Name, b.Count));

        // A plain NAME is another tool's variable, not this build's: only OPS_NAME is read.
        b = new TypedBuild();
        await Run.Build(b, "noop --profile ci", root, Env(("NAME", "from-bare-env"), ("COUNT", "4")));
        Assert.Equal(("from-profile", 3), (b.Name, b.Count));

        b = new TypedBuild();
        await Run.Build(b, "noop --profile ci", root, Env(("NAME", "bare"), ("Ops_Name", "from-ops-env"), ("Ops_T_A_G_S", "e1, e2")));
        Assert.Equal("from-ops-env", b.Name);
        Assert.Equal(["e1", "e2"], b.Tags);

        b = new TypedBuild();
        await Run.Build(b, "noop --profile ci --name from-cli", root, Env(("OPS_NAME", "env")));
        Assert.Equal("from-cli", b.Name);
    }

    sealed class GuardedBuild : BuildBase
    {
        [Parameter] public string Stage = "dev";
        [Parameter(CommandLineOnly = true)] public string? Confirm;
        [Parameter(CommandLineOnly = true)] public bool Force;
        [Parameter(CommandLineOnly = true)][Secret] public string? Value;
        public Target Noop => _ => _.Executes(() => { });
    }

    [Fact]
    public async Task Guards_are_read_from_the_command_line_only_never_from_the_environment_or_a_file()
    {
        var b = new GuardedBuild();
        var run = await Run.Build(b, "noop", env: Env(("CONFIRM", "dev"), ("OPS_CONFIRM", "dev"), ("FORCE", "1"), ("OPS_FORCE", "true"), ("VALUE", "s3cret"), ("STAGE", "prod")));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(("dev", null, false, null), (b.Stage, b.Confirm, b.Force, b.Value));

        b = new GuardedBuild();
        run = await Run.Build(b, "noop --confirm dev --force", env: Env(("OPS_STAGE", "qa")));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(("qa", "dev", true), (b.Stage, b.Confirm, b.Force));

        using var root = new TestRoot().WithFile("parameters.json", """{ "Confirm": "dev" }""");
        run = await Run.Build(new GuardedBuild(), "noop", root);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("sets 'Confirm', which is accepted only on the command line", run.Err);

        // An exported VALUE is neither read nor shown by --help.
        run = await Run.Build(new GuardedBuild(), "--help", env: Env(("VALUE", "s3cret-from-env"), ("OPS_VALUE", "s3cret-from-env")));
        Assert.DoesNotContain("s3cret-from-env", run.Out + run.Err);
        Assert.Contains("[command line only]", run.Out);
    }

    [Fact]
    public async Task Bad_values_in_files_and_environment_name_their_origin()
    {
        using var root = new TestRoot().WithFile("parameters.json", """{ "Count": "lots", "Colour": 1 }""");
        var run = await Run.Build(new TypedBuild(), "noop", root);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown parameter 'Colour' in .nuke/parameters.json", run.Err);

        using var root2 = new TestRoot().WithFile("parameters.json", """{ "Count": "lots" }""");
        run = await Run.Build(new TypedBuild(), "noop", root2);
        Assert.Contains("--count (from .nuke/parameters.json): 'lots' is not a whole number.", run.Err);

        run = await Run.Build(new TypedBuild(), "noop", env: Env(("OPS_COUNT", "x")));
        Assert.Contains("--count (from environment variable OPS_COUNT): 'x' is not a whole number.", run.Err);

        run = await Run.Build(new TypedBuild(), "noop --profile nope");
        Assert.Contains("Profile file .nuke/parameters.nope.json does not exist", run.Err);
        Assert.Equal(2, run.ExitCode);

        using var broken = new TestRoot().WithFile("parameters.json", "{ not json");
        run = await Run.Build(new TypedBuild(), "noop", broken);
        Assert.Contains(".nuke/parameters.json is not valid JSON", run.Err);
    }

    sealed class ValidatingBuild : RecordingBuild
    {
        [Parameter] public int Size = 1;
        public Target Make => _ => _.Executes(Record("make"));
        protected override void Validate()
        {
            if (Size > 10) throw new UsageException($"--size {Size} is too large; use at most 10.");
        }
    }

    [Fact]
    public async Task Validate_runs_before_any_target_and_not_for_help()
    {
        var b = new ValidatingBuild();
        var run = await Run.Build(b, "make --size 11");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --size 11 is too large; use at most 10.", run.Err.Trim());
        Assert.Empty(b.Ran);

        run = await Run.Build(new ValidatingBuild(), "--help --size 11");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("= 11 (the command line)", run.Out);
    }
}
