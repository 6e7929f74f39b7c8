using System.Text.Json.Nodes;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Tests;

/// <summary>How a container definition becomes argv, directory and environment (pure logic).</summary>
public class ContainerLaunchTests
{
    static readonly Dictionary<string, string> Runtime = new() { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1" };

    [Fact]
    public void The_definition_entry_point_replaces_the_image_command_and_paths_in_the_image_are_mapped()
    {
        var root = Directory.CreateTempSubdirectory("ops-launch-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "app"));
            File.WriteAllText(Path.Combine(root, "app", "Ops.Worker.dll"), "");
            var image = new UnpackedImage("sha256:1", root, ["/bin/false"], ["--image-default"], new Dictionary<string, string> { ["A"] = "image", ["B"] = "image" }, "/app");
            var definition = new JsonObject
            {
                ["name"] = "worker",
                ["entryPoint"] = new JsonArray("dotnet", "/app/Ops.Worker.dll", "/not/in/image"),
                ["environment"] = new JsonArray(new JsonObject { ["name"] = "B", ["value"] = "definition" }),
            };
            var launch = ContainerLaunch.ForImage(definition, image, Runtime, "/usr/bin:/bin");
            Assert.Equal(["dotnet", Path.Join(root, "/app/Ops.Worker.dll"), "/not/in/image"], launch.Argv);
            Assert.Equal(Path.Join(root, "/app"), launch.WorkingDirectory);
            Assert.Equal(("image", "definition", "http://127.0.0.1:1"), (launch.Environment["A"], launch.Environment["B"], launch.Environment["AWS_ENDPOINT_URL"]));
            Assert.Equal("image-process", launch.Runner);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_local_command_label_that_is_not_a_json_array_is_a_start_error_naming_the_label()
    {
        var definition = new JsonObject { ["name"] = "w", ["dockerLabels"] = new JsonObject { ["ops.local.command"] = "dotnet run", ["ops.local.directory"] = "/" } };
        var e = Assert.Throws<TaskStartException>(() => ContainerLaunch.ForLocalCommand(definition, Runtime, "/bin"));
        Assert.StartsWith("CannotStartContainerError: the ops.local.command label of container w", e.Message);
    }
}
