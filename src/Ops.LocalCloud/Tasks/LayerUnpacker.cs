using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// Applies image layers (tar, gzip or not) onto a root directory as a container runtime would: whiteouts
/// (<c>.wh.name</c>) and opaque directories (<c>.wh..wh..opq</c>) remove what lower layers put there, and nothing is
/// written outside the root: entries with <c>..</c>, symbolic links or hard links resolving outside it are refused.
/// Every path is resolved inside the root one component at a time, links followed as they really lead (never by
/// lexical shortening), and symbolic link targets are stored relative to their directory, so they point inside the
/// root on the host too. File modes are the image's (set-id bits dropped).
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class LayerUnpacker
{
    const string Whiteout = ".wh.";
    const string OpaqueMarker = ".wh..wh..opq";
    const int MaxLinkHops = 40;

    readonly string _root;

    public LayerUnpacker(string root)
    {
        Directory.CreateDirectory(root);
        _root = Path.GetFullPath(root).TrimEnd('/');
    }

    /// <summary>Applies one layer (a seekable stream); throws <see cref="ImagePullException"/> for an entry that would escape the root.</summary>
    public async Task ApplyAsync(Stream layer, string layerName, CancellationToken cancellationToken)
    {
        var input = await DecompressedAsync(layer, layerName, cancellationToken);
        await using var reader = new TarReader(input, leaveOpen: false);
        var written = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) continue;
            var parts = Parts(entry.Name, layerName);
            if (parts.Count == 0) continue; // the root itself
            var name = parts[^1];
            var parent = ResolveDirectory(parts.Take(parts.Count - 1), entry.Name, layerName);
            var path = Path.Combine(parent, name);

            if (name == OpaqueMarker)
            {
                foreach (var child in Directory.EnumerateFileSystemEntries(parent).Where(c => !written.Contains(c)).ToList())
                    Remove(child);
                continue;
            }
            if (name.StartsWith(Whiteout, StringComparison.Ordinal))
            {
                Remove(Path.Combine(parent, name[Whiteout.Length..]));
                continue;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (!IsRealDirectory(path)) Remove(path);
                    Directory.CreateDirectory(path);
                    File.SetUnixFileMode(path, Mode(entry.Mode) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Remove(path);
                    await using (var file = new FileStream(path, new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew,
                        Access = FileAccess.Write,
                        UnixCreateMode = Mode(entry.Mode) | UnixFileMode.UserRead | UnixFileMode.UserWrite,
                    }))
                    {
                        if (entry.DataStream != null) await entry.DataStream.CopyToAsync(file, cancellationToken);
                    }
                    File.SetUnixFileMode(path, Mode(entry.Mode) | UnixFileMode.UserRead);
                    break;
                case TarEntryType.SymbolicLink:
                    var target = LinkTarget(parent, entry.LinkName, entry.Name, layerName);
                    Remove(path);
                    File.CreateSymbolicLink(path, target);
                    break;
                case TarEntryType.HardLink:
                    var existing = HardLinkTarget(entry.LinkName, entry.Name, layerName);
                    Remove(path);
                    if (Link(existing, path) != 0) File.Copy(existing, path); // another file system: a copy reads the same
                    break;
                default:
                    continue; // devices and FIFOs need privileges a task does not have; images for tasks do not use them
            }
            written.Add(path);
        }
    }

    /// <summary>The layer (seekable) as a tar stream: gzip is recognised by its magic bytes, zstd refused by name, anything else read as plain tar.</summary>
    static async Task<Stream> DecompressedAsync(Stream layer, string layerName, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        var read = await layer.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        layer.Seek(0, SeekOrigin.Begin);
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return new GZipStream(layer, CompressionMode.Decompress);
        if (read == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
            throw new ImagePullException($"layer {layerName} is zstd-compressed, which the local cloud cannot unpack; push the image with gzip layers (podman push --compression-format gzip).");
        return layer;
    }

    /// <summary>An entry's path components; <c>..</c> anywhere is refused.</summary>
    static List<string> Parts(string entryName, string layerName)
    {
        var parts = entryName.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains("..")) throw Escape(entryName, layerName);
        return parts;
    }

    /// <summary>The real directory the components name, following symbolic links inside the root and creating what is missing.</summary>
    string ResolveDirectory(IEnumerable<string> parts, string entryName, string layerName) =>
        Resolve(_root, string.Join('/', parts), create: true, entryName, layerName);

    /// <summary>A symbolic link's target made relative to its directory, provided it resolves inside the root.</summary>
    string LinkTarget(string linkDirectory, string target, string entryName, string layerName)
    {
        if (target.Length == 0) throw Escape(entryName, layerName);
        var resolved = Resolve(linkDirectory, target, create: false, entryName, layerName);
        var relative = Path.GetRelativePath(linkDirectory, resolved);
        return target.EndsWith('/') && relative != "." ? relative + "/" : relative;
    }

    /// <summary>
    /// Resolves <paramref name="path"/> (relative to the real directory <paramref name="start"/>, or absolute: relative to
    /// the root) one component at a time, as the kernel would if the root were '/': every symbolic link met is followed
    /// by reading it and resolving its target the same way, so <c>..</c> means the parent of where a link really leads,
    /// never a lexical shortcut. A <c>..</c> above the root or more than 40 links refuse the image. With
    /// <paramref name="create"/>, missing directories are made (and a non-directory in the way replaced).
    /// The result is a host path inside the root whose existing components are real directories.
    /// </summary>
    string Resolve(string start, string path, bool create, string entryName, string layerName)
    {
        var current = path.StartsWith('/') ? _root : start;
        var pending = new LinkedList<string>(path.Split('/'));
        var hops = 0;
        while (pending.First is { } first)
        {
            var part = first.Value;
            pending.RemoveFirst();
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (current == _root) throw Escape(entryName, layerName);
                current = Path.GetDirectoryName(current)!;
                continue;
            }
            var next = current + "/" + part;
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops) throw Escape(entryName, layerName);
                if (target.StartsWith('/')) current = _root;
                foreach (var component in target.Split('/').Reverse()) pending.AddFirst(component);
                continue;
            }
            if (create && !Directory.Exists(next))
            {
                Remove(next);
                Directory.CreateDirectory(next);
            }
            current = next;
        }
        return current;
    }

    /// <summary>The existing file a hard link names (an archive path, relative to the root), which must be a regular file inside it.</summary>
    string HardLinkTarget(string linkName, string entryName, string layerName)
    {
        var parts = Parts(linkName, layerName);
        if (parts.Count == 0) throw Escape(entryName, layerName);
        var path = Path.Combine(ResolveDirectory(parts.Take(parts.Count - 1), entryName, layerName), parts[^1]);
        var info = new FileInfo(path);
        if (info.LinkTarget != null || !info.Exists)
            throw new ImagePullException($"layer {layerName}: hard link {entryName} names {linkName}, which is not a regular file of the image.");
        return path;
    }

    static bool IsRealDirectory(string path) => new DirectoryInfo(path) is { Exists: true, LinkTarget: null };

    /// <summary>Removes a file, a symbolic link (never what it points at) or a directory tree; nothing when absent.</summary>
    static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget != null || info.Exists) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    /// <summary>Permission bits only: set-uid, set-gid and sticky bits are dropped (tasks run as the local user).</summary>
    static UnixFileMode Mode(UnixFileMode mode) => mode & (UnixFileMode)0x1FF;

    static ImagePullException Escape(string entryName, string layerName) =>
        new($"layer {layerName} has an entry that escapes the image root ({entryName}); the image is refused.");

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);
}
