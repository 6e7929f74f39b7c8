using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Ops.Aws.Tests;

/// <summary>Runs a Python snippet with botocore/jmespath (on the machine image) as an independent oracle: JSON in, JSON out.</summary>
public static class Botocore
{
    public static async Task<JsonNode> Run(string script, JsonNode input)
    {
        var info = new ProcessStartInfo("python3", ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(info)!;
        await p.StandardInput.WriteAsync(input.ToJsonString());
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"python3 failed: {await stderr}");
        return JsonNode.Parse(await stdout)!;
    }

    /// <summary>botocore's own serializer: {name: {service, operation, params}} → {name: body (dict for query/ec2, JSON text for json)}.</summary>
    public const string SerializeScript = """
        import json, sys, botocore.session
        from botocore import serialize
        session = botocore.session.get_session()
        out = {}
        for name, case in json.load(sys.stdin).items():
            model = session.get_service_model(case['service'])
            op = model.operation_model(case['operation'])
            request = serialize.create_serializer(model.metadata['protocol']).serialize_to_request(case['params'], op)
            body = request['body']
            out[name] = body.decode() if isinstance(body, bytes) else body
        print(json.dumps(out))
        """;

    public const string JmesPathScript = """
        import json, sys, jmespath
        cases = json.load(sys.stdin)
        print(json.dumps([jmespath.search(c['expression'], c['data']) for c in cases]))
        """;
}
