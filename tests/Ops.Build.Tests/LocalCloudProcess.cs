namespace Ops.Build.Tests;

/// <summary>The build's <c>local-cloud</c> target as a real process on <paramref name="port"/>, serving <c>root</c>'s state (instant lifecycles).</summary>
public static class LocalCloudProcess
{
    public static ChildProcess Start(TestRoot root, int port) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "_build.dll"), "local-cloud", "--port", port.ToString(), "--local-cloud-speed", "instant"],
            root.Path, new Dictionary<string, string> { ["OPS_ROOT"] = root.Path });
}
