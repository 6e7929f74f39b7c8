using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud;

/// <summary>
/// The local cloud's own key pair: the only credentials that may make it start a program (a task, a web process, a
/// database server). Generated once per state directory and kept there readable by its owner alone (0600), in two
/// shapes a person can use without the secret ever being printed: <c>operator.env</c> (<c>export AWS_…</c> lines to
/// source) and <c>operator-credentials.json</c> (what the aws CLI's <c>credential_process</c> reads). Without a state
/// directory a fresh pair lives in memory.
/// </summary>
public sealed record OperatorCredentials(string AccessKey, string SecretKey)
{
    /// <summary>The publicly known keys every local-cloud habit uses (<c>aws --endpoint-url … sqs …</c>); they start no program.</summary>
    public const string PublicAccessKey = "test";

    /// <summary>The secret of <see cref="PublicAccessKey"/>.</summary>
    public const string PublicSecretKey = "test";

    /// <summary>The credential_process document in the state directory.</summary>
    public const string JsonFileName = "operator-credentials.json";

    /// <summary>The shell file in the state directory to source for the operator's keys.</summary>
    public const string EnvFileName = "operator.env";

    /// <summary>A fresh random pair, shaped like AWS's (an access key of 20 upper-case characters, a 40-character secret).</summary>
    public static OperatorCredentials Generate()
    {
        var access = Services.Identifiers.Random("LKIA", 16);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
        return new OperatorCredentials(access, secret);
    }

    /// <summary>The pair kept in <paramref name="stateDirectory"/>, made (and its two files written, 0600) on first use.</summary>
    public static OperatorCredentials ForStateDirectory(string stateDirectory)
    {
        DurableFiles.CreatePrivateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, JsonFileName);
        var fresh = Generate();
        var keys = DurableFiles.CreatePrivateOnce(path, Encoding.UTF8.GetBytes(fresh.ToCredentialProcessJson()))
            ? fresh
            : TryRead(stateDirectory) ?? throw new InvalidOperationException($"{path} is damaged or was being written by another process; delete it and start again.");
        WriteEnvFile(stateDirectory, keys);
        return keys;
    }

    /// <summary>The pair kept in <paramref name="stateDirectory"/>, or null when there is none yet (or it is damaged).</summary>
    public static OperatorCredentials? TryRead(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, JsonFileName);
        if (!File.Exists(path)) return null;
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path));
            return (string?)json?["AccessKeyId"] is { Length: > 0 } key && (string?)json["SecretAccessKey"] is { Length: > 0 } secret
                ? new OperatorCredentials(key, secret)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>What the aws CLI's <c>credential_process</c> expects on standard output.</summary>
    public string ToCredentialProcessJson() =>
        new JsonObject { ["Version"] = 1, ["AccessKeyId"] = AccessKey, ["SecretAccessKey"] = SecretKey }.ToJsonString() + "\n";

    static void WriteEnvFile(string stateDirectory, OperatorCredentials credentials)
    {
        var text = $"# The local cloud's operator keys (they may start programs); source this file, never print it.\n" +
                   $"export AWS_ACCESS_KEY_ID='{credentials.AccessKey}'\nexport AWS_SECRET_ACCESS_KEY='{credentials.SecretKey}'\n";
        var path = Path.Combine(stateDirectory, EnvFileName);
        if (File.Exists(path) && File.ReadAllText(path) == text) return;
        DurableFiles.WriteAtomically(path, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Never the secret: records print themselves in logs and exceptions.</summary>
    public override string ToString() => $"{AccessKey} (secret hidden)";
}
