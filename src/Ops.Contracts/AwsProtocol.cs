namespace Ops.Contracts;

/// <summary>
/// The wire protocol families Ops speaks, named as in botocore's service models (<see cref="AwsProtocols.FromModel"/>):
/// the clients of Ops.Aws write them and the local cloud reads them.
/// </summary>
public enum AwsProtocol
{
    /// <summary><c>json</c>: awsJson 1.0/1.1, the operation in X-Amz-Target.</summary>
    Json,

    /// <summary><c>query</c>: a form with Action, XML answers.</summary>
    Query,

    /// <summary><c>ec2</c>: query with EC2's own list and error shapes.</summary>
    Ec2,

    /// <summary><c>rest-xml</c>: the operation in the method and path, XML bodies (S3, CloudFront).</summary>
    RestXml,
}
