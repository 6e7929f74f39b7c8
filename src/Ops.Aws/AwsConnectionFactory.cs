using System.Text.Json;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.S3;

namespace Ops.Aws;

/// <summary>
/// Turns the global parameters into a connection: <c>--endpoint-url</c> (any AWS-compatible endpoint),
/// <c>--cloud aws</c> (the standard credential chain or <c>--aws-profile</c>), or the local cloud.
/// Nothing reaches real AWS unless <c>--cloud aws</c> was asked for.
/// </summary>
public sealed class AwsConnectionFactory(ILocalCloud? localCloud = null, IReadOnlyDictionary<string, string>? environment = null)
{
    public async Task<AwsConnection> ConnectAsync(AwsSettings settings, CancellationToken cancellationToken)
    {
        if (settings.EndpointUrl != null)
        {
            // An emulator does not care whose keys sign; real credentials only when real AWS is behind the URL.
            var credentials = settings.Cloud == CloudKind.Aws ? AwsCredentials(settings.Profile) : EnvironmentOrTestCredentials();
            var processes = settings.Cloud != CloudKind.Aws && await LocalCloudAnswersAsync(settings.EndpointUrl, cancellationToken).ConfigureAwait(false);
            return new AwsConnection
            {
                Credentials = credentials,
                Region = settings.Region,
                EndpointUrl = settings.EndpointUrl,
                Timeout = settings.Timeout,
                IsOpsLocalCloud = processes,
            };
        }
        if (settings.Cloud == CloudKind.Aws)
            return new AwsConnection { Credentials = AwsCredentials(settings.Profile), Region = settings.Region, Timeout = settings.Timeout };

        if (localCloud == null)
            throw new InvalidOperationException(
                "--cloud local needs the embedded local cloud, which this build does not include; pass --endpoint-url for another AWS-compatible endpoint, or --cloud aws.");
        var local = await localCloud.EnsureRunningAsync(cancellationToken).ConfigureAwait(false);
        return new AwsConnection
        {
            Credentials = new BasicAWSCredentials(local.AccessKey, local.SecretKey),
            Region = settings.Region,
            EndpointUrl = local.Url,
            Timeout = settings.Timeout,
            IsOpsLocalCloud = true,
        };
    }

    /// <summary>
    /// True when <paramref name="endpoint"/> answers the local cloud's probe (an unsigned GET, at most 3 s); false for any
    /// other answer or none (moto, LocalStack, an endpoint that is down: their own calls report that).
    /// </summary>
    static async Task<bool> LocalCloudAnswersAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri(endpoint, LocalCloudProbe.Path), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return false;
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return answer.RootElement.ValueKind == JsonValueKind.Object
                && answer.RootElement.TryGetProperty("cloud", out var cloud) && cloud.ValueKind == JsonValueKind.String && cloud.GetString() == LocalCloudProbe.Name
                && answer.RootElement.TryGetProperty("tasks", out var tasks) && tasks.ValueKind == JsonValueKind.String
                    && tasks.GetString() == LocalCloudProbe.TasksAsProcesses;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The official S3 client on this connection (path-style addressing for custom endpoints).</summary>
    public static AmazonS3Client CreateS3(AwsConnection connection)
    {
        var config = new AmazonS3Config { RegionEndpoint = RegionEndpoint.GetBySystemName(connection.Region) };
        if (connection.EndpointUrl != null)
        {
            config.ServiceURL = connection.EndpointUrl.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = connection.Region;
        }
        Apply(config, connection);
        return new AmazonS3Client(connection.Credentials, config);
    }

    /// <summary>The official DynamoDB client on this connection.</summary>
    public static AmazonDynamoDBClient CreateDynamoDb(AwsConnection connection)
    {
        var config = new AmazonDynamoDBConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(connection.Region) };
        if (connection.EndpointUrl != null)
        {
            config.ServiceURL = connection.EndpointUrl.ToString();
            config.AuthenticationRegion = connection.Region;
        }
        Apply(config, connection);
        return new AmazonDynamoDBClient(connection.Credentials, config);
    }

    static void Apply(ClientConfig config, AwsConnection connection)
    {
        if (connection.MaxAttempts is { } attempts) config.MaxErrorRetry = Math.Max(0, attempts - 1);
        if (connection.RetryMode is { } mode) config.RetryMode = mode;
        if (connection.Timeout is { } timeout) config.Timeout = timeout;
    }

    AWSCredentials AwsCredentials(string? profile)
    {
        if (profile != null)
        {
            // AWS_SHARED_CREDENTIALS_FILE read here, from the environment this factory was given: the SDK fixes its default once per process.
            if (!new CredentialProfileStoreChain(Get("AWS_SHARED_CREDENTIALS_FILE")).TryGetAWSCredentials(profile, out var fromProfile))
                throw new InvalidOperationException(
                    $"AWS profile '{profile}' was not found in ~/.aws/config or ~/.aws/credentials; check the name with `aws configure list-profiles`.");
            return fromProfile;
        }
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException e)
        {
            // The SDK's own first line ends in a colon before a list of every provider's error: name what was tried instead.
            throw new InvalidOperationException(
                "No AWS credentials found for --cloud aws (tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the default profile in ~/.aws/credentials and ~/.aws/config, " +
                "web identity, and container and instance metadata); pass --aws-profile or set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.", e);
        }
    }

    string? Get(string name) => environment != null ? environment.GetValueOrDefault(name) : Environment.GetEnvironmentVariable(name);

    AWSCredentials EnvironmentOrTestCredentials()
    {
        return Get("AWS_ACCESS_KEY_ID") is { Length: > 0 } key && Get("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret
            ? new BasicAWSCredentials(key, secret)
            : new BasicAWSCredentials("test", "test");
    }
}
