using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Firehose;

/// <summary>
/// Kinesis Firehose: delivery streams and the records put into them (kept, so tests and drills can count them).
/// Handlers are grouped in the partial files <c>FirehoseService.*.cs</c>.
/// </summary>
internal sealed partial class FirehoseService : ServiceHandler<FirehoseState>
{
    public override string Name => "firehose";

    public FirehoseService(StateStore store) : base(store)
    {
        On("CreateDeliveryStream", CreateDeliveryStream);
        On("DescribeDeliveryStream", DescribeDeliveryStream);
        On("ListDeliveryStreams", ListDeliveryStreams);
        On("DeleteDeliveryStream", DeleteDeliveryStream);

        On("PutRecord", PutRecord);
        On("PutRecordBatch", PutRecordBatch);
    }
}
