using Ops.Aws.CloudFront;
using Ops.Aws.Waiters;

namespace Ops.Aws.Tests;

/// <summary>CloudFront invalidations (rest-xml: URI labels, query strings, an XML payload with a namespace, a Location header).</summary>
public abstract class CloudFrontTests(ITestCloud moto)
{
    readonly CloudFrontClient _cf = new(moto.Connection);

    [Fact]
    public async Task Invalidations_round_trip_on_a_distribution_made_by_the_aws_cli()
    {
        // moto needs the distribution to exist (made here by the independent aws CLI); LocalCloud treats any id as existing.
        var distribution = moto.IsMoto
            ? (await AwsCli.Run(moto.Endpoint, "cloudfront", "create-distribution", "--origin-domain-name", "iotile-statics.s3.amazonaws.com"))!["Distribution"]!["Id"]!.GetValue<string>()
            : "E" + Guid.NewGuid().ToString("N")[..13].ToUpperInvariant();

        var invalidation = await _cf.CreateInvalidationAsync(new CreateInvalidationRequest
        {
            DistributionId = distribution,
            InvalidationBatch = new InvalidationBatch { CallerReference = Guid.NewGuid().ToString(), Paths = new Paths { Quantity = 2, Items = ["/", "/static/*"] } },
        });
        Assert.NotNull(invalidation.Invalidation!.Id);
        Assert.Contains(distribution, invalidation.Location);
        Assert.Equal(["/", "/static/*"], invalidation.Invalidation.InvalidationBatch!.Paths!.Items);

        var got = await _cf.GetInvalidationAsync(new GetInvalidationRequest { DistributionId = distribution, Id = invalidation.Invalidation.Id });
        Assert.Equal(invalidation.Invalidation.Id, got.Invalidation!.Id);
        if (moto.IsMoto)
        {
            // moto says "COMPLETED"; the model's InvalidationCompleted waiter (and AWS) say "Completed", so against
            // moto the waiter must not claim success: it times out naming the state it saw.
            var timeout = await Assert.ThrowsAsync<Ops.Aws.Waiters.WaiterTimeoutException>(() => _cf.WaitUntilInvalidationCompletedAsync(
                new GetInvalidationRequest { DistributionId = distribution, Id = invalidation.Invalidation.Id },
                    MotoServer.FastWaits with { MaxWait = TimeSpan.FromMilliseconds(300) }));
            Assert.Equal("Invalidation.Status = \"COMPLETED\"", timeout.LastState);
        }
        else
        {
            var done = await _cf.WaitUntilInvalidationCompletedAsync(new GetInvalidationRequest { DistributionId = distribution,
                Id = invalidation.Invalidation.Id }, MotoServer.FastWaits);
            Assert.Equal("Completed", done.Invalidation!.Status);
        }
        var list = await _cf.ListInvalidationsAsync(new ListInvalidationsRequest { DistributionId = distribution, MaxItems = "10" });
        Assert.Contains(list.InvalidationList!.Items!, i => i.Id == invalidation.Invalidation.Id);

        // The CLI sees the invalidation our client made.
        var cli = await AwsCli.Run(moto.Endpoint, "cloudfront", "list-invalidations", "--distribution-id", distribution);
        Assert.Contains(invalidation.Invalidation.Id, cli!.ToJsonString());
        if (moto.IsMoto) await AwsAssert.ErrorCode("NoSuchDistribution", () => _cf.CreateInvalidationAsync(new CreateInvalidationRequest
        {
            DistributionId = "ENOSUCH",
            InvalidationBatch = new InvalidationBatch { CallerReference = "x", Paths = new Paths { Quantity = 1, Items = ["/"] } },
        }));
    }
}

[Collection(MotoCollection.Name)]
public sealed class CloudFrontTestsOnMoto(MotoServer cloud) : CloudFrontTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class CloudFrontTestsOnLocalCloud(LocalCloudTestServer cloud) : CloudFrontTests(cloud);
