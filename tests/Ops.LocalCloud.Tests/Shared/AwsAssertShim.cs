using Amazon.Runtime;

namespace Ops.Aws.Tests;

public static class AwsAssertShim
{
    public static async Task<AmazonServiceException> ErrorCode(string code, Func<Task> call, int? status = null)
    {
        var e = await Assert.ThrowsAsync<AmazonServiceException>(call);
        Assert.Equal(code, e.ErrorCode);
        if (status != null) Assert.Equal(status, (int)e.StatusCode);
        return e;
    }
}
