namespace Ops.TestSupport;

/// <summary>
/// The operator keys test fixtures give their local clouds (LocalCloudOptions.AccessKey/SecretKey), so a test, the aws CLI
/// and ./build.sh can start tasks and web processes there; the public test/test keys stay what they are everywhere else.
/// </summary>
public static class TestKeys
{
    public const string OperatorAccessKey = "LKIATESTOPERATOR0001";
    public const string OperatorSecretKey = "ops-test-operator-secret-not-public";
}
