namespace Ops.Aws.Runtime;

/// <summary>The wire protocol families Ops speaks.</summary>
public enum AwsProtocol
{
    Json,
    Query,
    Ec2,
    RestXml,
}
