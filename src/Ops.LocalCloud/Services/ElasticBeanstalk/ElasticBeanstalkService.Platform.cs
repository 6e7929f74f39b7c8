using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>What Beanstalk offers around environments: its storage bucket and the solution stacks.</summary>
internal sealed partial class ElasticBeanstalkService
{
    JsonNode? CreateStorageLocation(JsonObject i, RequestContext c) => new JsonObject { ["S3Bucket"] = $"elasticbeanstalk-{c.Region}-{c.Account}" };

    JsonNode? ListAvailableSolutionStacks(JsonObject i, RequestContext c) => new JsonObject
    {
        ["SolutionStacks"] = new JsonArray("64bit Amazon Linux 2023 v4.1.0 running Python 3.11", "64bit Amazon Linux 2023 v4.1.0 running Python 3.12", "64bit Amazon Linux 2023 v4.2.0 running Docker"),
    };
}
