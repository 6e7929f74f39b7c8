using System.Net;
using System.Net.Sockets;

namespace Ops.Docker.Tests;

/// <summary>Where an engine is looked for, and the one line when none answers.</summary>
public sealed class EngineLocatorTests
{
    [Fact]
    public void Without_docker_host_docker_then_podman_sockets_are_tried()
    {
        var candidates = EngineLocator.Candidates(new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = "/run/user/1000" });
        Assert.Equal(["unix:///var/run/docker.sock", "unix:///run/user/1000/podman/podman.sock", "unix:///run/podman/podman.sock"], candidates.Select(c => c.ToString()));
    }

    [Fact]
    public void Docker_host_is_the_only_place_when_set()
    {
        var candidates = EngineLocator.Candidates(new Dictionary<string, string> { ["DOCKER_HOST"] = "tcp://10.0.0.5:2375" });
        Assert.Equal(["tcp://10.0.0.5:2375/"], candidates.Select(c => c.ToString()));
    }

    [Fact]
    public void An_unsupported_docker_host_says_which_forms_work()
    {
        var e = Assert.Throws<DockerEngineUnavailableException>(() => EngineLocator.Candidates(new Dictionary<string, string> { ["DOCKER_HOST"] = "ssh://me@host" }));
        Assert.Contains("ssh://me@host", e.Message);
        Assert.Contains("unix://", e.Message);
    }

    [Fact]
    public async Task No_engine_is_one_line_naming_every_place_tried_and_how_to_start_one()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now

        var missing = $"unix:///tmp/ops-no-engine-{Guid.NewGuid():N}.sock";
        var e = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() =>
            DockerEngine.LocateAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = missing }, CancellationToken.None));
        Assert.DoesNotContain("\n", e.Message);
        Assert.Contains($"{missing} (no such socket)", e.Message);
        Assert.Contains("podman system service --time=0 unix:///run/podman/podman.sock", e.Message);

        var refused = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() =>
            DockerEngine.LocateAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = $"tcp://127.0.0.1:{port}" }, CancellationToken.None));
        Assert.Contains($"tcp://127.0.0.1:{port}/ (connection refused)", refused.Message);
    }
}
