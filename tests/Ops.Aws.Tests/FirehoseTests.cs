using Ops.Aws.Firehose;
using Record = Ops.Aws.Firehose.Record;

namespace Ops.Aws.Tests;

/// <summary>Kinesis Firehose (awsJson 1.1): a stream that lands in S3 and loads Redshift.</summary>
public abstract class FirehoseTests(ITestCloud moto)
{
    readonly FirehoseClient _firehose = new(moto.Connection);

    [Fact]
    public async Task Delivery_streams_and_records_round_trip()
    {
        var name = MotoServer.Unique("iotile-stream");
        await _firehose.CreateDeliveryStreamAsync(new CreateDeliveryStreamInput
        {
            DeliveryStreamName = name,
            DeliveryStreamType = "DirectPut",
            RedshiftDestinationConfiguration = new RedshiftDestinationConfiguration
            {
                RoleARN = "arn:aws:iam::123456789012:role/firehose",
                ClusterJDBCURL = "jdbc:redshift://example:5439/timeseries",
                CopyCommand = new CopyCommand { DataTableName = "streamdata" },
                Username = "iotile",
                Password = "Correct-Horse-9",
                S3Configuration = new S3DestinationConfiguration { RoleARN = "arn:aws:iam::123456789012:role/firehose", BucketARN = "arn:aws:s3:::iotile-stream" },
            },
            Tags = [new Tag { Key = "Stage", Value = "dev" }],
        });
        var described = await _firehose.DescribeDeliveryStreamAsync(new DescribeDeliveryStreamInput { DeliveryStreamName = name });
        Assert.Equal("ACTIVE", described.DeliveryStreamDescription!.DeliveryStreamStatus);
        Assert.NotNull(described.DeliveryStreamDescription.Destinations![0].RedshiftDestinationDescription);
        Assert.Contains(name, (await _firehose.ListDeliveryStreamsAsync(new ListDeliveryStreamsInput { Limit = 100 })).DeliveryStreamNames!);

        var put = await _firehose.PutRecordAsync(new PutRecordInput { DeliveryStreamName = name, Record = new Record { Data = "{\"v\":1}\n"u8.ToArray() } });
        Assert.NotNull(put.RecordId);
        var batch = await _firehose.PutRecordBatchAsync(new PutRecordBatchInput { DeliveryStreamName = name,
            Records = [new Record { Data = [1, 2] }, new Record { Data = [3] }] });
        Assert.Equal(0, batch.FailedPutCount);

        await _firehose.DeleteDeliveryStreamAsync(new DeleteDeliveryStreamInput { DeliveryStreamName = name });
        await AwsAssert.ErrorCode("ResourceNotFoundException", () => _firehose.DescribeDeliveryStreamAsync(new DescribeDeliveryStreamInput { DeliveryStreamName = name }));
    }
}

[Collection(MotoCollection.Name)]
public sealed class FirehoseTestsOnMoto(MotoServer cloud) : FirehoseTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class FirehoseTestsOnLocalCloud(LocalCloudTestServer cloud) : FirehoseTests(cloud);
