using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Ops.Docker;

/// <summary>
/// The tag an image built from a working tree gets: the commit's SHA, or for a tree with uncommitted changes
/// <c>&lt;sha&gt;-dirty-&lt;12 hex of a hash of the changes&gt;</c>. Never <c>latest</c>: ECR tags are immutable, so a tag names one image.
/// </summary>
public static class ImageTag
{
    /// <summary>The tag for the working tree at <paramref name="repositoryRoot"/>; git must be on PATH.</summary>
    public static async Task<string> ForWorkingTreeAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var sha = (await GitAsync(repositoryRoot, ["rev-parse", "--verify", "HEAD"], cancellationToken)).Trim();
        var status = await GitAsync(repositoryRoot, ["status", "--porcelain=v1", "-z", "--untracked-files=all"], cancellationToken);
        if (status.Length == 0) return sha;

        // The changes themselves, so two different dirty trees never share a tag: the diff of tracked files plus every untracked file's path and bytes.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(await GitAsync(repositoryRoot, ["diff", "HEAD", "--binary", "--no-color", "--no-ext-diff"], cancellationToken)));
        var untracked = await GitAsync(repositoryRoot, ["ls-files", "--others", "--exclude-standard", "-z"], cancellationToken);
        foreach (var path in untracked.Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path + "\0"));
            var full = Path.Combine(repositoryRoot, path);
            if (File.Exists(full)) hash.AppendData(await File.ReadAllBytesAsync(full, cancellationToken));
        }
        return $"{sha}-dirty-{Convert.ToHexStringLower(hash.GetHashAndReset())[..12]}";
    }

    static async Task<string> GitAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("git is not on PATH; the image tag is the commit's SHA, so install git (Debian: apt-get install git).");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{directory} is not a git checkout with a commit (git {arguments[0]}: {(await stderr).Trim()}); the image tag is the commit's SHA, so build from a clone.");
            return await stdout;
        }
    }
}
