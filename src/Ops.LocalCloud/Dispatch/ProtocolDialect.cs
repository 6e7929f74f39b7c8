using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Ops.Contracts;
using Ops.LocalCloud.Protocol;
using Ops.LocalCloud.Services;

namespace Ops.LocalCloud.Dispatch;

/// <summary>
/// What differs between the AWS protocols on the way in and out, in one place per protocol: where the operation's name
/// is, how its input is decoded, and how its output is written.
/// </summary>
internal static class ProtocolDialect
{
    /// <summary>The operation a request names, and for rest-xml the matched operation and its path labels.</summary>
    public static (string Operation, OperationModel? Matched, Dictionary<string, string>? Labels) OperationOf(
        AwsProtocol protocol, ServiceHandler service, HttpRequest request, string? target, IReadOnlyDictionary<string, string> form)
    {
        switch (protocol)
        {
            case AwsProtocol.Json:
                return (target?[(target.IndexOf('.') + 1)..] ?? throw new AwsError("MissingAction", "X-Amz-Target is missing.", 400), null, null);
            case AwsProtocol.RestXml:
                var (op, labels) = WireCodec.MatchRest(service.Model, request.Method, request.Path.Value ?? "/")
                    ?? throw new AwsError("InvalidURI", $"No {service.Name} operation matches {request.Method} {request.Path}.", 404);
                return (op.Name, op, labels);
            default:
                return (form.GetValueOrDefault("Action") ?? throw new AwsError("MissingAction", "The request must contain the parameter Action.", 400), null, null);
        }
    }

    /// <summary>The error for an operation the service's model does not have.</summary>
    public static AwsError UnknownOperation(AwsProtocol protocol, string service, string operation) =>
        new(protocol == AwsProtocol.Json ? "UnknownOperationException" : "InvalidAction", $"{service} has no operation {operation}.", 400);

    /// <summary>The operation's input, keyed by model member names whatever the protocol.</summary>
    public static JsonObject Decode(AwsProtocol protocol, ServiceModel model, OperationModel op, Dictionary<string, string>? labels,
        HttpRequest request, byte[] body, Dictionary<string, string> form) => protocol switch
        {
            AwsProtocol.Json => WireCodec.DecodeJson(model, op.Input, body),
            AwsProtocol.RestXml => WireCodec.DecodeRest(model, op, labels!, RequestParts.Query(request), body),
            _ => WireCodec.DecodeQuery(model, op.Input, form),
        };

    /// <summary>Writes the operation's output as the protocol answers.</summary>
    public static async Task WriteAsync(AwsProtocol protocol, ServiceModel model, OperationModel op, JsonNode? output, string requestId, HttpResponse response)
    {
        switch (protocol)
        {
            case AwsProtocol.Json:
                response.ContentType = $"application/x-amz-json-{model.JsonVersion}";
                await response.Body.WriteAsync(WireCodec.EncodeJson(model, op.Output, output));
                break;
            case AwsProtocol.RestXml:
                var (xml, headers) = WireCodec.EncodeRestXml(model, op, output as JsonObject);
                foreach (var (k, v) in headers) response.Headers[k] = v;
                if (op.Name.StartsWith("Create", StringComparison.Ordinal)) response.StatusCode = 201;
                if (xml != null)
                {
                    response.ContentType = "text/xml";
                    await response.WriteAsync(xml);
                }
                break;
            default:
                response.ContentType = "text/xml";
                await response.WriteAsync(WireCodec.EncodeXmlResponse(model, op, output, requestId));
                break;
        }
    }
}
