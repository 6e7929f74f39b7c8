using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Util;
using Ops.Aws.Serialization;

namespace Ops.Aws.Runtime;

/// <summary>Turns an <see cref="OperationRequest"/> into an HTTP request in the service's protocol.</summary>
internal sealed class OperationMarshaller(AwsServiceInfo service) : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var r = (OperationRequest)input;
        var request = new DefaultRequest(r, service.ServiceId);
        switch (service.Protocol)
        {
            case AwsProtocol.Json:
                request.HttpMethod = "POST";
                request.ResourcePath = "/";
                request.Headers["X-Amz-Target"] = $"{service.TargetPrefix}.{r.Operation.Name}";
                request.Headers["Content-Type"] = $"application/x-amz-json-{service.JsonVersion}";
                request.Content = JsonSerializer.SerializeToUtf8Bytes(r.Input, r.Input.GetType(), AwsJson.Options);
                break;
            case AwsProtocol.Query or AwsProtocol.Ec2:
                request.HttpMethod = "POST";
                request.Parameters.Add("Action", r.Operation.Name);
                request.Parameters.Add("Version", service.ApiVersion);
                foreach (var (key, value) in QuerySerializer.Serialize(r.Input, service.Protocol))
                    request.Parameters.Add(key, value);
                break;
            case AwsProtocol.RestXml:
                MarshallRestXml(r, request);
                break;
        }
        return request;
    }

    static void MarshallRestXml(OperationRequest r, DefaultRequest request)
    {
        request.HttpMethod = r.Operation.HttpMethod;
        var uri = r.Operation.RequestUri;
        var query = "";
        var q = uri.IndexOf('?');
        if (q >= 0) (uri, query) = (uri[..q], uri[(q + 1)..]);
        foreach (var member in ShapeMetadata.For(r.Input.GetType()).Members)
        {
            var value = member.Get(r.Input);
            if (member.Http is { } http && value != null)
            {
                var text = WireFormat.Format(value, member.TimestampFormat);
                switch (http.Location)
                {
                    case "uri":
                        uri = uri.Replace($"{{{http.Name}+}}", AWSSDKUtils.UrlEncode(text, path: true))
                                 .Replace($"{{{http.Name}}}", AWSSDKUtils.UrlEncode(text, path: false));
                        break;
                    case "querystring":
                        request.Parameters[http.Name] = text; // encoded and signed by the SDK
                        request.UseQueryString = true;
                        break;
                    case "header":
                        request.Headers[http.Name] = text;
                        break;
                }
            }
            else if (member.Payload is { } payload && value != null)
            {
                var xml = XmlShapeWriter.Write(value, payload.RootElement, payload.Namespace);
                request.Content = Encoding.UTF8.GetBytes(xml.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
                request.Headers["Content-Type"] = "application/xml";
            }
        }
        if (uri.Contains('{'))
            throw new AmazonClientException($"{r.Operation.Name}: a required URI member of '{r.Operation.RequestUri}' is not set.");
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            request.AddSubResource(part);
        request.ResourcePath = uri;
    }
}
