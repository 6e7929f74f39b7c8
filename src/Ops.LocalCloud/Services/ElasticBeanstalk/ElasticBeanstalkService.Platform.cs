using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>What Beanstalk offers around environments: its storage bucket and the solution stacks.</summary>
internal sealed partial class ElasticBeanstalkService
{
    /// <summary>Beanstalk's bucket for source bundles, created in the local cloud's S3 when it is not there (as AWS does).</summary>
    JsonNode? CreateStorageLocation(JsonObject i, RequestContext c)
    {
        var bucket = $"elasticbeanstalk-{c.Region}-{c.Account}";
        _s3?.EnsureBucket(bucket);
        return new JsonObject { ["S3Bucket"] = bucket };
    }

    JsonNode? ListAvailableSolutionStacks(JsonObject i, RequestContext c) => new JsonObject
    {
        ["SolutionStacks"] = new JsonArray("64bit Amazon Linux 2023 v4.1.0 running Python 3.11", "64bit Amazon Linux 2023 v4.1.0 running Python 3.12", "64bit Amazon Linux 2023 v4.2.0 running Docker"),
    };
}
