using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ops.Targets.Execution;

/// <summary>
/// What <c>--continue</c> needs from the previous run: the invoked targets, a salted hash of the
/// parameter values (never the values: some are secrets) and which targets succeeded.
/// </summary>
internal sealed record ContinueState(string[] Targets, string Salt, string ParametersHash, string[] Succeeded, bool Failed)
{
    const string FileName = "build-state.json";

    public static string PathIn(string temporaryDirectory) => Path.Combine(temporaryDirectory, FileName);

    public static ContinueState? Load(string temporaryDirectory)
    {
        try
        {
            var path = PathIn(temporaryDirectory);
            return File.Exists(path) ? JsonSerializer.Deserialize<ContinueState>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null; // a damaged state file just means there is nothing to continue
        }
    }

    public void Save(string temporaryDirectory)
    {
        Directory.CreateDirectory(temporaryDirectory);
        var path = PathIn(temporaryDirectory);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this));
        File.Move(tmp, path, overwrite: true);
    }

    public static string NewSalt() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static string Hash(string salt, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var canonical = string.Join("\n", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(salt + "\n" + canonical)));
    }
}
