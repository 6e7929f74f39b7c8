using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ops.Aws.Tests;

/// <summary>Our SigV4 signatures, recomputed independently by botocore's signer from the request as it arrived.</summary>
public class SignatureTests
{
    const string Verify = """
        import json, sys
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        out = []
        for r in json.load(sys.stdin):
            signed = r['signed'].split(';')
            headers = {k: v for k, v in r['headers'].items() if k.lower() in signed}
            req = AWSRequest(method=r['method'], url=r['url'], data=r['body'].encode('latin-1'), headers=headers)
            req.context['timestamp'] = r['headers'][next(k for k in r['headers'] if k.lower() == 'x-amz-date')]
            auth = SigV4Auth(Credentials('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'), r['service'], 'us-east-1')
            canonical = auth.canonical_request(req)
            out.append(auth.signature(auth.string_to_sign(req, canonical), req))
        print(json.dumps(out))
        """;

    [Fact]
    public async Task Json_query_and_rest_xml_requests_carry_signatures_botocore_agrees_with()
    {
        using var endpoint = new ScriptedEndpoint((r, _) => r.Headers.ContainsKey("X-Amz-Target")
            ? new(200, """{"clusterArns":[]}""", "application/x-amz-json-1.1")
            : r.Method == "GET"
                ? new(200, """<InvalidationList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Marker>m</Marker><MaxItems>5</MaxItems><IsTruncated>false</IsTruncated><Quantity>0</Quantity></InvalidationList>""", "text/xml")
                : new(200, """<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances/></DescribeDBInstancesResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeDBInstancesResponse>""", "text/xml"));
        var c = endpoint.Connection();
        await new Ecs.EcsClient(c).ListClustersAsync(new Ecs.ListClustersRequest { MaxResults = 5 });
        await new Rds.RdsClient(c).DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = "iotile db/ü", MaxRecords = 20 });
        await new CloudFront.CloudFrontClient(c).ListInvalidationsAsync(new CloudFront.ListInvalidationsRequest { DistributionId = "E123", Marker = "a b+c",
            MaxItems = "5" });

        var requests = endpoint.Requests.ToList();
        Assert.Equal(3, requests.Count);
        var cases = new JsonArray();
        var claimed = new List<string>();
        foreach (var (r, service) in requests.Zip(new[] { "ecs", "rds", "cloudfront" }))
        {
            var auth = Regex.Match(r.Headers["Authorization"], @"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\d{8}/us-east-1/(?<svc>[a-z]+)/aws4_request, SignedHeaders=(?<signed>[^,]+), Signature=(?<sig>[0-9a-f]{64})$");
            Assert.True(auth.Success, r.Headers["Authorization"]);
            Assert.Equal(service, auth.Groups["svc"].Value);
            claimed.Add(auth.Groups["sig"].Value);
            cases.Add(new JsonObject
            {
                ["method"] = r.Method,
                ["url"] = endpoint.Url.GetLeftPart(UriPartial.Authority) + r.RawUrl,
                ["service"] = service,
                ["signed"] = auth.Groups["signed"].Value,
                ["body"] = Encoding.Latin1.GetString(r.Body),
                ["headers"] = new JsonObject(r.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
            });
        }
        var recomputed = (await Botocore.Run(Verify, cases)).AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(recomputed, claimed);
    }
}
