using System.Formats.Tar;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// Hostile layers against the unpacker, each in a scratch folder of the test's own: the image root sits two levels
/// below it, so a path that escaped would land in the scratch folder (checked), never at a system path.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LayerUnpackerTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("ops-unpack-").FullName;
    string Root => Path.Combine(_scratch, "a", "b", "rootfs");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    static MemoryStream Layer(Action<TarWriter> write)
    {
        var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true)) write(tar);
        stream.Position = 0;
        return stream;
    }

    static void Link(TarWriter tar, string name, string target) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });

    static void Dir(TarWriter tar, string name) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });

    static void File(TarWriter tar, string name, string text, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode,
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) });

    /// <summary>Every path under <paramref name="top"/>, links listed but never followed.</summary>
    static IEnumerable<string> Walk(string top) =>
        new System.IO.Enumeration.FileSystemEnumerable<string>(top, (ref System.IO.Enumeration.FileSystemEntry e) => e.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        {
            ShouldRecursePredicate = (ref System.IO.Enumeration.FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
        };

    /// <summary>Every path under the scratch folder that is not under the image root.</summary>
    List<string> Outside() => Walk(_scratch)
        .Where(p => !(p + "/").StartsWith(Root + "/", StringComparison.Ordinal) && !(Root + "/").StartsWith(p + "/", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// A link to "." makes a lexical path deeper than the real one: p → x/x/x/w is really w, so "../../.." stored for
    /// p/L really climbs above the root, and a later q → w/L/ESC would create ESC two levels above it.
    /// </summary>
    [Fact]
    public async Task A_chain_of_links_that_only_looks_inside_the_root_writes_nothing_outside_it()
    {
        var unpacker = new LayerUnpacker(Root);
        var layer = Layer(t =>
        {
            Link(t, "x", ".");
            Dir(t, "w");
            Link(t, "p", "x/x/x/w");
            Link(t, "p/L", "../../..");
            Link(t, "q", "w/L/ESC");
            File(t, "q/pwned.txt", "escaped");
        });
        try
        {
            await unpacker.ApplyAsync(layer, "sha256:hostile", CancellationToken.None);
        }
        catch (ImagePullException e)
        {
            Assert.Contains("escapes the image root", e.Message);
        }
        Assert.Empty(Outside());
        Assert.False(Directory.Exists(Path.Combine(_scratch, "a", "ESC")));
        // Every link left in the root resolves, on the host, to a place inside it.
        foreach (var link in Walk(Root).Where(p => new FileInfo(p).LinkTarget != null))
        {
            var real = new FileInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "";
            Assert.True(real == Root || real.StartsWith(Root + "/", StringComparison.Ordinal), $"{link} → {real}");
        }
    }

    [Fact]
    public async Task Links_are_followed_where_they_really_lead_and_absolute_ones_stay_in_the_root()
    {
        var unpacker = new LayerUnpacker(Root);
        await unpacker.ApplyAsync(Layer(t =>
        {
            Dir(t, "usr/lib/deep");
            Link(t, "lib", "usr/lib");
            Link(t, "usr/lib/deep/up", "..");          // really usr/lib
            Link(t, "etc", "/usr/lib/deep/up/..");      // absolute: the image's /usr
            File(t, "lib/deep/up/marker", "m");
            File(t, "etc/bin/run.sh", "#!/bin/sh\n", (UnixFileMode)0b111_101_101);
        }), "sha256:fine", CancellationToken.None);

        Assert.Equal("m", System.IO.File.ReadAllText(Path.Combine(Root, "usr/lib/marker")));
        Assert.Equal("usr", new FileInfo(Path.Combine(Root, "etc")).LinkTarget);
        Assert.True(System.IO.File.Exists(Path.Combine(Root, "usr/bin/run.sh")));
        Assert.Equal((UnixFileMode)0b111_101_101, System.IO.File.GetUnixFileMode(Path.Combine(Root, "usr/bin/run.sh")));
        Assert.Empty(Outside());
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../..")]
    [InlineData("x/../../..")]
    public async Task A_link_that_climbs_above_the_root_is_refused(string target)
    {
        var unpacker = new LayerUnpacker(Root);
        var error = await Assert.ThrowsAsync<ImagePullException>(() => unpacker.ApplyAsync(Layer(t =>
        {
            Link(t, "x", ".");
            Link(t, "up", target);
        }), "sha256:climb", CancellationToken.None));
        Assert.Contains("escapes the image root", error.Message);
        Assert.Empty(Outside());
    }
}
