using Ops.Stack;
using Ops.Stack.Secrets;
using Ops.Targets;

namespace Ops.Build;

/// <summary>The stage's secrets in SSM Parameter Store: set (value from stdin, a file or a variable), list, check.</summary>
sealed partial class Build
{
    [Parameter("The secret secrets-set stores, by name (the parameter is secrets.prefix + name), like GoogleApiKey.", CommandLineOnly = true)]
    public string? Secret;

    [Parameter("secrets-set reads the value from this file (only the value; one trailing newline is dropped).", CommandLineOnly = true)]
    public string? FromFile;

    [Parameter("secrets-set reads the value from this environment variable.", CommandLineOnly = true)]
    public string? FromEnv;

    [Parameter("Not accepted: a secret's value never comes from the command line (shell history, process lists). Pipe it to secrets-set, or use --from-file / --from-env.", CommandLineOnly = true)]
    [Secret]
    public string? Value;

    Target SecretsSet => _ => _
        .Description("Store a secret of the stage as a SecureString: --secret NAME, the value from stdin, --from-file or --from-env (never the command line)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(async f =>
        {
            if (Value != null)
                throw new StackException("--value is not accepted: a secret on the command line ends up in shell history and process lists; pipe it instead: printf %s \"$VALUE\" | ./build.sh secrets-set --secret NAME");
            SecretCommands.Validate(Secret);
            var value = await SecretValueSource.ReadAsync(FromFile, FromEnv, !Console.IsInputRedirected, Console.In, Environment, ct);
            await new SecretCommands(f).SetAsync(Secret!, value, ct);
            return [];
        }, ct));

    Target SecretsList => _ => _
        .Description("List the stage's secrets: name, role (required/generated), type, last modified, version — never values (--output json)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(async f =>
        {
            await new SecretCommands(f).ListAsync(Json, ct);
            return [];
        }, ct));

    Target SecretsCheck => _ => _
        .Description("Check that every secret the stage requires (secrets.required) exists; exit 1 naming the missing ones")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(async f =>
        {
            await new SecretCommands(f).CheckAsync(ct);
            return [];
        }, ct));
}
