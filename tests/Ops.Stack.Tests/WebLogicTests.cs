using System.IO.Compression;
using Ops.Stack.Web;

namespace Ops.Stack.Tests;

/// <summary>The web tier's pure logic: the statics plan, the deterministic source bundle, the option settings and their diff.</summary>
public sealed class WebLogicTests
{
    static StaticFile File(string key, string content) => new(key, "/dev/null",
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content))),
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(content))), content.Length);

    [Fact]
    public async Task Statics_plan_uploads_new_and_changed_files_deletes_gone_ones_and_invalidates_only_changed_and_deleted_paths()
    {
        var same = File("static/css/site.css", "body{}");
        var changed = File("static/js/site.js", "v2");
        var added = File("static/img/new logo.svg", "<svg/>");
        var remote = new[]
        {
            new RemoteStatic("static/css/site.css", same.Md5), new RemoteStatic("static/js/site.js", File("x", "v1").Md5),
            new RemoteStatic("static/old.txt", File("x", "old").Md5),
        };
        var plan = await StaticsPlan.CompareAsync([same, changed, added], remote, (_, _) => throw new InvalidOperationException("no HEAD needed"), CancellationToken.None);
        Assert.Equal(["static/img/new logo.svg"], plan.Added.Select(f => f.Key));
        Assert.Equal(["static/js/site.js"], plan.Changed.Select(f => f.Key));
        Assert.Equal(["static/old.txt"], plan.Deleted);
        Assert.Equal(1, plan.Unchanged);
        Assert.Equal(["/static/js/site.js", "/static/old.txt"], plan.InvalidationPaths("static"));
    }

    [Fact]
    public async Task Statics_plan_compares_a_multipart_etag_by_the_sha256_metadata()
    {
        var file = File("static/big.bin", "payload");
        var asked = new List<string>();
        var plan = await StaticsPlan.CompareAsync([file], [new RemoteStatic(file.Key, "0123abcd-3")],
            (key, _) => { asked.Add(key); return Task.FromResult<string?>(file.Sha256); }, CancellationToken.None);
        Assert.True(plan.IsEmpty);
        Assert.Equal([file.Key], asked);
        var stale = await StaticsPlan.CompareAsync([file], [new RemoteStatic(file.Key, "0123abcd-3")], (_, _) => Task.FromResult<string?>(null), CancellationToken.None);
        Assert.Single(stale.Changed);
    }

    [Fact]
    public async Task More_than_3000_invalidation_paths_become_one_wildcard()
    {
        var files = Enumerable.Range(0, 3001).Select(i => File($"static/f{i}.txt", "new")).ToList();
        var plan = await StaticsPlan.CompareAsync(files, files.Select(f => new RemoteStatic(f.Key, File("x", "old").Md5)).ToList(),
            (_, _) => Task.FromResult<string?>(null), CancellationToken.None);
        Assert.Equal(["/static/*"], plan.InvalidationPaths("static"));
    }

    [Fact]
    public void Source_bundle_is_byte_identical_for_the_same_content_and_leaves_out_caches_and_collected_statics()
    {
        var root = Directory.CreateTempSubdirectory("ops-bundle-").FullName;
        Write(root, "web/Procfile", "web: python3 application.py\n");
        Write(root, "web/application.py", "print('hi')\n");
        Write(root, "web/__pycache__/application.cpython-312.pyc", "x");
        Write(root, "web/staticfiles/css/site.css", "body{}");
        Write(root, "web/static/css/site.css", "body{}");
        var first = SourceBundle.Create(root, "web", "web/staticfiles");
        System.IO.File.SetLastWriteTimeUtc(Path.Combine(root, "web/application.py"), DateTime.UtcNow.AddDays(-3));
        var second = SourceBundle.Create(root, "web", "web/staticfiles");
        Assert.Equal(first.Bytes, second.Bytes);
        Assert.Equal(first.Label, second.Label);
        Assert.Matches("^v-[0-9a-f]{12}$", first.Label);
        using (var zip = new ZipArchive(new MemoryStream(first.Bytes)))
            Assert.Equal(["Procfile", "application.py", "static/css/site.css"], zip.Entries.Select(e => e.FullName));
        Assert.Equal("python3 application.py", first.WebCommand);

        Write(root, "web/application.py", "print('changed')\n");
        Assert.NotEqual(first.Label, SourceBundle.Create(root, "web", "web/staticfiles").Label);
    }

    [Fact]
    public void A_source_without_a_procfile_web_line_is_a_problem_naming_the_fix()
    {
        var root = Directory.CreateTempSubdirectory("ops-bundle-").FullName;
        Assert.Contains("does not exist", SourceBundle.Problem(root, "web"));
        Write(root, "web/app.py", "");
        Assert.Contains("has no Procfile", SourceBundle.Problem(root, "web"));
        Write(root, "web/Procfile", "worker: python3 worker.py\n");
        Assert.Contains("has no web: line", SourceBundle.Problem(root, "web"));
        Write(root, "web/Procfile", "worker: x\nweb: gunicorn app:app\n");
        Assert.Null(SourceBundle.Problem(root, "web"));
        Assert.Throws<StackException>(() => SourceBundle.Create(root, "nope", null));
    }

    [Fact]
    public void Settings_carry_the_stack_variables_and_reserved_names_never_an_rds_option_and_the_diff_hides_values()
    {
        var stack = StackLoader.Load(Directory.CreateTempSubdirectory("ops-web-").FullName, null).For("dev");
        stack = stack with { Web = stack.Web with { EnvironmentVariables = new Dictionary<string, string> { ["DJANGO_SETTINGS_MODULE"] = "server.settings.dev" } } };
        var desired = WebSettings.Desired(stack, new WebInputs("sg-1", "arn:aws:sns:us-east-1:1:t", "db.local", 5432, null, null));
        var env = desired.Where(o => o.Namespace == WebSettings.Environment).ToDictionary(o => o.Name, o => o.Value);
        Assert.Equal("dev", env["OPS_STAGE"]);
        Assert.Equal("server.settings.dev", env["DJANGO_SETTINGS_MODULE"]);
        Assert.Equal("db.local", env["OPS_DATABASE_HOST"]);
        Assert.Equal("5432", env["OPS_DATABASE_PORT"]);
        Assert.False(env.ContainsKey("OPS_REDIS_HOST"));
        Assert.Equal(string.Join(',', stack.Secrets.Required), env["OPS_SECRET_NAMES"]);
        Assert.DoesNotContain(desired, o => o.Namespace.StartsWith("aws:rds", StringComparison.Ordinal));

        var actual = desired.Where(o => o.Name != "DJANGO_SETTINGS_MODULE")
            .Select(o => o.Name == "SecurityGroups" ? o with { Value = "sg-eb-default,sg-1" } : o.Name == "OPS_STAGE" ? o with { Value = "hand-set-secret" } : o)
            .Append(new WebOption(WebSettings.Environment, "LEFTOVER", "x")).ToList();
        var (set, remove, changes) = WebSettings.Diff("eb environment e", desired, actual);
        Assert.Equal(["DJANGO_SETTINGS_MODULE", "OPS_STAGE"], set.Select(o => o.Name).Order());
        Assert.Equal(["LEFTOVER"], remove.Select(o => o.Name));
        Assert.All(changes, c => Assert.DoesNotContain("hand-set-secret", c.ToString()));
        Assert.Empty(WebSettings.Diff("e", desired, desired).Changes);
    }

    static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
    }
}
