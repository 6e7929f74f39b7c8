using System.Text.Json.Nodes;
using Ops.Aws.Ecr;
using Ops.Aws.Lookups;
using Ops.Stack.Core;

namespace Ops.Stack.Fleet;

/// <summary>
/// create-ecr-repository: the worker image's repository with immutable tags, scan on push, AES256 encryption, a lifecycle
/// policy keeping the last <c>repository.keep-images</c> images, and the stack's tags; drift is shown and corrected.
/// </summary>
public sealed class RepositoryProvisioner(StageContext context)
{
    readonly EcrClient _ecr = new(context.Connection);

    /// <summary>Creates or corrects the repository; returns every change made (or, on a dry run, that would be made).</summary>
    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var spec = context.Stack.Repository;
        var name = spec.Name;
        var resource = $"repository {name}";
        var changes = new List<Change>();
        var repository = await EcrLookup.RepositoryAsync(_ecr, name, cancellationToken);
        if (repository == null)
        {
            var change = new Change(resource, "repository", null, $"IMMUTABLE tags, scan on push, AES256, keep the last {spec.KeepImages} images");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                await _ecr.CreateRepositoryAsync(new CreateRepositoryRequest
                {
                    RepositoryName = name,
                    ImageTagMutability = "IMMUTABLE",
                    ImageScanningConfiguration = new ImageScanningConfiguration { ScanOnPush = true },
                    EncryptionConfiguration = new EncryptionConfiguration { EncryptionType = "AES256" },
                    Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, cancellationToken);
                await _ecr.PutLifecyclePolicyAsync(new PutLifecyclePolicyRequest { RepositoryName = name,
                    LifecyclePolicyText = LifecyclePolicy(spec.KeepImages) }, cancellationToken);
            });
            return changes;
        }

        if (repository.ImageTagMutability != "IMMUTABLE")
        {
            var change = new Change(resource, "imageTagMutability", repository.ImageTagMutability ?? "(unset)", "IMMUTABLE");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change,
                () => _ecr.PutImageTagMutabilityAsync(new PutImageTagMutabilityRequest { RepositoryName = name, ImageTagMutability = "IMMUTABLE" }, cancellationToken));
        }
        if (repository.ImageScanningConfiguration?.ScanOnPush != true)
        {
            var change = new Change(resource, "scanOnPush", "false", "true");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, () => _ecr.PutImageScanningConfigurationAsync(new PutImageScanningConfigurationRequest
            {
                RepositoryName = name,
                ImageScanningConfiguration = new ImageScanningConfiguration { ScanOnPush = true },
            }, cancellationToken));
        }
        var encryption = repository.EncryptionConfiguration?.EncryptionType;
        if (encryption is not (null or "AES256"))
            context.Log.Warning($"{resource}: encryption is {encryption}, the stack wants AES256; ECR cannot change a repository's encryption — it is left as is.");

        var policy = await LifecyclePolicyAsync(name, cancellationToken);
        var wantedPolicy = LifecyclePolicy(spec.KeepImages);
        if (policy == null || !JsonNode.DeepEquals(JsonNode.Parse(policy), JsonNode.Parse(wantedPolicy)))
        {
            var change = new Change(resource, "lifecycle policy", policy == null ? "(none)" : Describe(policy), $"keep the last {spec.KeepImages} images");
            changes.Add(change);
            var lifecycle = new PutLifecyclePolicyRequest { RepositoryName = name, LifecyclePolicyText = wantedPolicy };
            await Mutation.ApplyAsync(context, change, () => _ecr.PutLifecyclePolicyAsync(lifecycle, cancellationToken));
        }

        var tags = (await _ecr.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = repository.RepositoryArn }, cancellationToken)).Tags?
            .ToDictionary(t => t.Key!, t => t.Value ?? "");
        changes.AddRange(await StackTags.EnsureAsync(context, resource, tags, missing => _ecr.TagResourceAsync(new TagResourceRequest
        {
            ResourceArn = repository.RepositoryArn,
            Tags = missing.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
        }, cancellationToken)));
        if (changes.Count == 0) context.Log.Info($"{resource}: up to date ({repository.RepositoryUri})");
        return changes;
    }

    /// <summary>The lifecycle policy that expires all but the newest <paramref name="keep"/> images.</summary>
    internal static string LifecyclePolicy(int keep) => new JsonObject
    {
        ["rules"] = new JsonArray(new JsonObject
        {
            ["rulePriority"] = 1,
            ["description"] = $"Keep the last {keep} images",
            ["selection"] = new JsonObject { ["tagStatus"] = "any", ["countType"] = "imageCountMoreThan", ["countNumber"] = keep },
            ["action"] = new JsonObject { ["type"] = "expire" },
        }),
    }.ToJsonString();


    async Task<string?> LifecyclePolicyAsync(string name, CancellationToken ct)
    {
        try
        {
            return (await _ecr.GetLifecyclePolicyAsync(new GetLifecyclePolicyRequest { RepositoryName = name }, ct)).LifecyclePolicyText;
        }
        catch (Exception e) when (AwsErrors.Is(e, "LifecyclePolicyNotFoundException"))
        {
            return null;
        }
    }

    /// <summary>A short description of a policy: the count it keeps when it is the shape Ops writes, else "another policy".</summary>
    static string Describe(string policy)
    {
        try
        {
            var rules = JsonNode.Parse(policy)?["rules"]?.AsArray();
            return rules is [{ } rule] && rule["selection"]?["countNumber"] is { } n ? $"keep the last {n} images" : "another policy";
        }
        catch (System.Text.Json.JsonException)
        {
            return "another policy";
        }
    }
}
