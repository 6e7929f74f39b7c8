using Amazon.Runtime;
using Xunit;

namespace Ops.TestSupport;

public static class AwsAssert
{
    /// <summary>The call fails with exactly this wire error code (what callers and waiters match on), and a 4xx/5xx status (this one, if given).</summary>
    /// <remarks>Ops.Aws reports rejected credentials as its own one-line exception; the service's answer is inside it.</remarks>
    public static async Task<AmazonServiceException> ErrorCode(string code, Func<Task> call, int? status = null)
    {
        var thrown = await Assert.ThrowsAnyAsync<Exception>(call);
        var e = thrown as AmazonServiceException ?? thrown.InnerException as AmazonServiceException
            ?? throw new Xunit.Sdk.XunitException($"Expected the AWS error {code}, got {thrown.GetType().Name}: {thrown.Message}");
        Assert.Equal(code, e.ErrorCode);
        if (status != null) Assert.Equal(status, (int)e.StatusCode);
        else Assert.True((int)e.StatusCode >= 400, $"status {(int)e.StatusCode}");
        return e;
    }

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }
}
