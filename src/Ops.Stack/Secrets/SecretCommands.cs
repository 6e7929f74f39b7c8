using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ops.Stack.Core;

namespace Ops.Stack.Secrets;

/// <summary>secrets-set, secrets-list and secrets-check on the stage's secrets: names, metadata and exit codes, never values.</summary>
public sealed partial class SecretCommands(StageContext context)
{
    readonly SecretStore _store = new(context);

    /// <summary>Checks a secret name before any call: the rule of the stack's secrets.* names.</summary>
    public static void Validate(string? name)
    {
        if (string.IsNullOrEmpty(name)) throw new StackException("--secret is required: the secret's name, like GoogleApiKey (see ./build.sh secrets-list).");
        if (!SecretName().IsMatch(name))
            throw new StackException($"--secret '{name}' is not a secret name (1–128 letters, digits and _ . -); use one like GoogleApiKey.");
    }

    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        context.Log.Redact(value);
        var parameter = _store.ParameterName(name);
        if (context.DryRun)
        {
            context.Log.Info($"would change secret {parameter}: value → (new value, {value.Length} characters, SecureString)");
            return;
        }
        var version = await _store.SetAsync(name, value, cancellationToken);
        var role = context.Stack.Secrets.Required.Contains(name) || context.Stack.Secrets.Generated.Contains(name) ? "" : " (the stack does not name it: add it to secrets.required if the app needs it)";
        context.Log.Info($"set {parameter} (version {version}){role}");
    }

    public async Task ListAsync(bool json, CancellationToken cancellationToken)
    {
        var rows = await _store.ListAsync(cancellationToken);
        if (json)
        {
            var array = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject
            {
                ["name"] = r.Name,
                ["parameter"] = r.Parameter,
                ["role"] = r.Role,
                ["exists"] = r.Exists,
                ["type"] = r.Type,
                ["last_modified"] = r.LastModified?.ToString("O"),
                ["version"] = r.Version,
            }).ToArray());
            context.Log.Data(new JsonObject { ["stage"] = context.Stack.Stage, ["prefix"] = context.Stack.Secrets.Prefix, ["secrets"] = array }
                .ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        var width = Math.Max(4, rows.Count == 0 ? 4 : rows.Max(r => r.Name.Length));
        context.Log.Info($"{"NAME".PadRight(width)}  {"ROLE",-16}  {"TYPE",-12}  {"LAST MODIFIED",-17}  VERSION");
        foreach (var r in rows)
            context.Log.Info(r.Exists
                ? $"{r.Name.PadRight(width)}  {r.Role,-16}  {r.Type,-12}  {r.LastModified?.UtcDateTime:yyyy-MM-dd HH:mm}Z  {r.Version}"
                : $"{r.Name.PadRight(width)}  {r.Role,-16}  MISSING");
        context.Log.Info($"{rows.Count(r => r.Exists)} of {rows.Count} exist under {context.Stack.Secrets.Prefix}");
    }

    /// <summary>Every required name exists, or a CloudStateException (exit 1) naming the missing ones and how to set each.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var rows = await _store.ListAsync(cancellationToken);
        var missing = rows.Where(r => !r.Exists && context.Stack.Secrets.Required.Contains(r.Name)).ToList();
        if (missing.Count == 0)
        {
            context.Log.Info($"all {context.Stack.Secrets.Required.Count} required secret(s) of {context.Stack.Stage} exist under {context.Stack.Secrets.Prefix}");
            return;
        }
        var makers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [context.Stack.Database.PasswordSecret] = "create-rds-instance",
            [context.Stack.Redshift.PasswordSecret] = "create-redshift-cluster",
            [context.Stack.TimeSeries.PasswordSecret] = "create-streamtimeseries-redshift",
            [context.Stack.Redis.AuthSecret] = "create-redis-cluster",
        };
        foreach (var m in missing)
            context.Log.Info(makers.TryGetValue(m.Name, out var maker)
                ? $"missing {m.Parameter}: ./build.sh {maker} --stage {context.Stack.Stage} generates it"
                : $"missing {m.Parameter}: set it with … | ./build.sh secrets-set --stage {context.Stack.Stage} --secret {m.Name}");
        throw new CloudStateException($"{missing.Count} secret(s) of {context.Stack.Stage} missing: {string.Join(", ", missing.Select(m => m.Name))}; set them with secrets-set (the value on standard input).");
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex SecretName();
}
