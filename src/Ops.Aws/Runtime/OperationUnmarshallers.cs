using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;
using Ops.Aws.Serialization;

namespace Ops.Aws.Runtime;

/// <summary>awsJson responses: the body deserialised into the shape; errors keep the wire code and HTTP status.</summary>
internal sealed class JsonOperationUnmarshaller<T> : JsonResponseUnmarshaller where T : notnull, new()
{
    public static readonly JsonOperationUnmarshaller<T> Instance = new();

    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
    {
        using var buffer = new MemoryStream();
        context.Stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var contentType = context.ResponseData.GetHeaderValue("Content-Type");
        // By the body, not the content type: emulators send JSON as text/html (moto's CloudWatch Logs does).
        var trimmed = bytes.TrimStart(" \t\r\n"u8);
        if (trimmed.Length > 0 && trimmed[0] != (byte)'{')
            throw new NotAwsAnswerException(NotAwsAnswerException.Describe(contentType,
                System.Text.Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 400)])));
        T value;
        try
        {
            value = bytes.Length == 0 ? new T() : JsonSerializer.Deserialize<T>(bytes, AwsJson.Options) ?? new T();
        }
        catch (JsonException e)
        {
            throw new NotAwsAnswerException(NotAwsAnswerException.Describe(contentType,
                System.Text.Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 400)])), e);
        }
        return new OperationResponse<T> { Value = value };
    }

    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
    {
        var reader = new StreamingUtf8JsonReader(context.Stream);
        var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(context, ref reader);
        var code = error.Code;
        // awsQueryCompatible services (SQS) also send the legacy query error code, which callers and older docs know.
        if (context.ResponseData.GetHeaderValue("x-amzn-query-error") is { Length: > 0 } queryError)
            code = queryError.Split(';')[0];
        return new AmazonServiceException(error.Message, innerException, error.Type, code, error.RequestId ?? context.ResponseData.GetHeaderValue("x-amzn-RequestId"),
            statusCode);
    }
}

/// <summary>query, ec2 and rest-xml responses: the result element read into the shape; errors keep the wire code and HTTP status.</summary>
internal sealed class XmlOperationUnmarshaller<T>(AwsServiceInfo service, AwsOperation operation) : XmlResponseUnmarshaller where T : notnull, new()
{
    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext context)
    {
        var text = new StreamReader(context.Stream).ReadToEnd();
        if (string.IsNullOrWhiteSpace(text) && service.Protocol == AwsProtocol.RestXml)
            return Finish(new T(), context);
        var contentType = context.ResponseData.GetHeaderValue("Content-Type");
        XElement root;
        try
        {
            root = XDocument.Parse(text).Root!;
        }
        catch (System.Xml.XmlException e)
        {
            throw new NotAwsAnswerException(NotAwsAnswerException.Describe(contentType, text[..Math.Min(text.Length, 400)]), e);
        }
        // query and ec2 answers are <OperationResponse>; an HTML page that happens to be well-formed is not one.
        if (service.Protocol != AwsProtocol.RestXml && root.Name.LocalName != operation.Name + "Response")
            throw new NotAwsAnswerException(NotAwsAnswerException.Describe(contentType, text[..Math.Min(text.Length, 400)]));
        var requestId = root.Descendants().FirstOrDefault(e => e.Name.LocalName is "RequestId" or "requestId")?.Value;
        T value;
        switch (service.Protocol)
        {
            case AwsProtocol.Query:
                var result = operation.ResultWrapper == null ? null : root.Elements().FirstOrDefault(e => e.Name.LocalName == operation.ResultWrapper);
                value = result == null ? new T() : XmlShapeReader.Read<T>(result);
                break;
            case AwsProtocol.RestXml:
                value = ReadRestXml(root);
                break;
            default:
                value = XmlShapeReader.Read<T>(root);
                break;
        }
        var response = Finish(value, context);
        response.ResponseMetadata = new ResponseMetadata { RequestId = requestId ?? context.ResponseData.GetHeaderValue("x-amz-request-id") };
        return response;
    }

    static T ReadRestXml(XElement root)
    {
        var payload = ShapeMetadata.For(typeof(T)).Members.FirstOrDefault(m => m.Payload != null);
        if (payload == null) return XmlShapeReader.Read<T>(root);
        var value = new T();
        payload.Set(value, XmlShapeReader.ReadStructure(payload.Type, root));
        return value;
    }

    static OperationResponse<T> Finish(T value, XmlUnmarshallerContext context)
    {
        foreach (var member in ShapeMetadata.For(typeof(T)).Members)
            if (member.Http is { Location: "header" } http && context.ResponseData.GetHeaderValue(http.Name) is { Length: > 0 } header)
                member.Set(value, WireFormat.Parse(member.Type, header));
        return new OperationResponse<T> { Value = value };
    }

    public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
    {
        var error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(context);
        return new AmazonServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
    }
}
