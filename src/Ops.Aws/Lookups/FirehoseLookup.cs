using Ops.Aws.Firehose;

namespace Ops.Aws.Lookups;

/// <summary>Firehose resources by name: null when there is none.</summary>
public static class FirehoseLookup
{
    public static async Task<DeliveryStreamDescription?> StreamAsync(FirehoseClient firehose, string name, CancellationToken ct)
    {
        try
        {
            return (await firehose.DescribeDeliveryStreamAsync(new DescribeDeliveryStreamInput { DeliveryStreamName = name }, ct).ConfigureAwait(false))
                .DeliveryStreamDescription;
        }
        catch (Exception e) when (AwsErrors.Is(e, "ResourceNotFoundException"))
        {
            return null;
        }
    }
}
