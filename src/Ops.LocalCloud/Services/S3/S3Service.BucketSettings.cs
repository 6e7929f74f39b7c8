using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Ops.LocalCloud.Services.S3;

/// <summary>Bucket settings: Put, Get and Delete of encryption, public access block, lifecycle, tagging, policy and versioning, kept as put.</summary>
internal sealed partial class S3Service
{
    async Task BucketSettingAsync(HttpContext http, string bucket, S3BucketSetting setting, Stream body, CancellationToken cancellationToken)
    {
        _store.RequireBucket(bucket);
        switch (http.Request.Method)
        {
            case "PUT":
                string document;
                if (setting.Json)
                {
                    using var reader = new StreamReader(body, Encoding.UTF8);
                    document = await reader.ReadToEndAsync(cancellationToken);
                    try
                    {
                        using var _ = JsonDocument.Parse(document);
                    }
                    catch (JsonException)
                    {
                        throw new AwsError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'", 400);
                    }
                }
                else
                {
                    var xml = await ReadXmlAsync(http.Request, body, cancellationToken);
                    if (setting.Name == "versioning" && xml.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "Status")?.Value is { } status && status is not ("Enabled" or "Suspended"))
                        throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400);
                    document = xml.ToString(SaveOptions.DisableFormatting);
                }
                _store.WriteSetting(bucket, setting.Name, document);
                http.Response.StatusCode = setting.PutStatus;
                return;
            case "DELETE":
                _store.DeleteSetting(bucket, setting.Name);
                http.Response.StatusCode = 204;
                return;
        }
        var stored = _store.ReadSetting(bucket, setting.Name);
        if (stored != null && setting.Json)
        {
            var bytes = Encoding.UTF8.GetBytes(stored);
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(bytes, cancellationToken);
            return;
        }
        if (stored != null)
        {
            await WriteXmlAsync(http, 200, XElement.Parse(stored), cancellationToken);
            return;
        }
        switch (setting.Name)
        {
            case "encryption":
                await WriteXmlAsync(http, 200, new XElement(N("ServerSideEncryptionConfiguration"),
                    new XElement(N("Rule"), new XElement(N("ApplyServerSideEncryptionByDefault"), new XElement(N("SSEAlgorithm"), "AES256")),
                        new XElement(N("BucketKeyEnabled"), "false"))), cancellationToken);
                return;
            case "versioning":
                await WriteXmlAsync(http, 200, new XElement(N("VersioningConfiguration")), cancellationToken);
                return;
            default:
                throw new AwsError(setting.MissingCode!, setting.MissingMessage!, 404);
        }
    }
}
