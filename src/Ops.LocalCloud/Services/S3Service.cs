using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Ops.LocalCloud.Services;

/// <summary>
/// S3, path-style: buckets and objects (put, get, head, list v1/v2 with prefix and delimiter, delete,
/// multi-delete). Objects live in files under the state directory (in memory without one). Handles the
/// aws-chunked bodies SDKs stream uploads in.
/// </summary>
internal sealed class S3Service
{
    const string Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    sealed record StoredObject(byte[] Data, string ContentType, string ETag, DateTimeOffset Modified, Dictionary<string, string> Metadata);

    sealed class Metadata
    {
        public string ContentType { get; set; } = "binary/octet-stream";
        public string ETag { get; set; } = "";
        public DateTimeOffset Modified { get; set; }
        public Dictionary<string, string> UserMetadata { get; set; } = new();
    }

    readonly string? _root;
    readonly Dictionary<string, SortedDictionary<string, StoredObject>> _memory = new();
    readonly object _gate = new();

    public S3Service(string? stateDirectory)
    {
        _root = stateDirectory == null ? null : Path.Combine(stateDirectory, "s3");
    }

    public async Task<(int Status, string? Body, Dictionary<string, string> Headers, byte[]? Data)> HandleAsync(HttpRequest request, byte[] body, RequestContext c)
    {
        var path = (request.Path.Value ?? "/").TrimStart('/');
        var slash = path.IndexOf('/');
        var bucket = Uri.UnescapeDataString(slash < 0 ? path : path[..slash]);
        var key = slash < 0 ? "" : Uri.UnescapeDataString(path[(slash + 1)..]);
        var query = request.Query;
        var headers = new Dictionary<string, string>();
        lock (_gate)
        {
            switch (request.Method)
            {
                case "GET" when bucket.Length == 0:
                    return (200, ListBuckets(c), headers, null);
                case "PUT" when key.Length == 0:
                    if (BucketExists(bucket)) throw new AwsError("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409);
                    CreateBucket(bucket);
                    headers["Location"] = "/" + bucket;
                    return (200, null, headers, null);
                case "HEAD" when key.Length == 0:
                    RequireBucket(bucket);
                    return (200, null, headers, null);
                case "DELETE" when key.Length == 0:
                    RequireBucket(bucket);
                    if (Keys(bucket).Any()) throw new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
                    DeleteBucket(bucket);
                    return (204, null, headers, null);
                case "GET" when key.Length == 0:
                    RequireBucket(bucket);
                    return (200, List(bucket, query), headers, null);
                case "POST" when key.Length == 0 && query.ContainsKey("delete"):
                    RequireBucket(bucket);
                    return (200, DeleteMany(bucket, body), headers, null);
                case "PUT":
                {
                    RequireBucket(bucket);
                    var data = Decode(request, body);
                    var etag = "\"" + Convert.ToHexStringLower(MD5.HashData(data)) + "\"";
                    var meta = request.Headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
                        .ToDictionary(h => h.Key.ToLowerInvariant()["x-amz-meta-".Length..], h => h.Value.ToString());
                    Put(bucket, key, new StoredObject(data, request.ContentType ?? "binary/octet-stream", etag, c.Now, meta));
                    headers["ETag"] = etag;
                    return (200, null, headers, null);
                }
                case "GET" or "HEAD":
                {
                    RequireBucket(bucket);
                    var o = Get(bucket, key) ?? throw new AwsError("NoSuchKey", "The specified key does not exist.", 404);
                    headers["ETag"] = o.ETag;
                    headers["Last-Modified"] = o.Modified.ToString("r");
                    headers["Content-Type"] = o.ContentType;
                    foreach (var (k, v) in o.Metadata) headers["x-amz-meta-" + k] = v;
                    if (request.Method == "HEAD") headers["Content-Length"] = o.Data.Length.ToString();
                    return (200, null, headers, request.Method == "GET" ? o.Data : null);
                }
                case "DELETE":
                    RequireBucket(bucket);
                    Delete(bucket, key);
                    return (204, null, headers, null);
                default:
                    throw new AwsError("NotImplemented", $"The local cloud does not implement S3 {request.Method} {request.Path}{request.QueryString}.", 501);
            }
        }
    }

    /// <summary>aws-chunked bodies: "size;chunk-signature=…\r\ndata\r\n…0…\r\n[trailers]\r\n"; anything else is the data as sent.</summary>
    static byte[] Decode(HttpRequest request, byte[] body)
    {
        var sha = request.Headers["x-amz-content-sha256"].ToString();
        var chunked = sha.StartsWith("STREAMING-", StringComparison.Ordinal) || request.Headers.ContentEncoding.ToString().Contains("aws-chunked");
        if (!chunked) return body;
        using var output = new MemoryStream();
        var pos = 0;
        while (pos < body.Length)
        {
            var lineEnd = IndexOf(body, pos);
            if (lineEnd < 0) break;
            var header = Encoding.ASCII.GetString(body, pos, lineEnd - pos);
            var size = Convert.ToInt32(header.Split(';')[0].Trim(), 16);
            pos = lineEnd + 2;
            if (size == 0) break;
            output.Write(body, pos, size);
            pos += size + 2;
        }
        return output.ToArray();
    }

    static int IndexOf(byte[] data, int from)
    {
        for (var i = from; i < data.Length - 1; i++)
            if (data[i] == '\r' && data[i + 1] == '\n') return i;
        return -1;
    }

    string ListBuckets(RequestContext c) => new XElement(XName.Get("ListAllMyBucketsResult", Ns),
        new XElement(XName.Get("Owner", Ns), new XElement(XName.Get("ID", Ns), c.Account)),
        new XElement(XName.Get("Buckets", Ns), Buckets().Select(b => new XElement(XName.Get("Bucket", Ns),
            new XElement(XName.Get("Name", Ns), b), new XElement(XName.Get("CreationDate", Ns), "2026-01-01T00:00:00.000Z"))))).ToString(SaveOptions.DisableFormatting);

    string List(string bucket, IQueryCollection query)
    {
        var v2 = query["list-type"] == "2";
        var prefix = query["prefix"].ToString();
        var delimiter = query["delimiter"].ToString();
        var max = int.TryParse(query["max-keys"], out var m) ? m : 1000;
        var after = v2 ? (query.ContainsKey("continuation-token") ? query["continuation-token"].ToString() : query["start-after"].ToString()) : query["marker"].ToString();
        var keys = Keys(bucket).Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(k, after) > 0).ToList();
        var contents = new List<string>();
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var k in keys)
        {
            if (contents.Count + prefixes.Count >= max) break;
            var rest = k[prefix.Length..];
            if (delimiter.Length > 0 && rest.IndexOf(delimiter, StringComparison.Ordinal) is var d and >= 0) prefixes.Add(prefix + rest[..(d + delimiter.Length)]);
            else contents.Add(k);
        }
        var truncated = contents.Count + prefixes.Count < keys.Count(k => delimiter.Length == 0 || !prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)));
        XName N(string n) => XName.Get(n, Ns);
        var result = new XElement(N("ListBucketResult"), new XElement(N("Name"), bucket), new XElement(N("Prefix"), prefix),
            new XElement(N("MaxKeys"), max), new XElement(N("IsTruncated"), truncated ? "true" : "false"));
        if (v2) result.Add(new XElement(N("KeyCount"), contents.Count + prefixes.Count));
        if (truncated && contents.Count > 0) result.Add(new XElement(N(v2 ? "NextContinuationToken" : "NextMarker"), contents[^1]));
        foreach (var k in contents)
        {
            var o = Get(bucket, k)!;
            result.Add(new XElement(N("Contents"), new XElement(N("Key"), k), new XElement(N("LastModified"), o.Modified.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'")),
                new XElement(N("ETag"), o.ETag), new XElement(N("Size"), o.Data.Length), new XElement(N("StorageClass"), "STANDARD")));
        }
        foreach (var p in prefixes) result.Add(new XElement(N("CommonPrefixes"), new XElement(N("Prefix"), p)));
        return result.ToString(SaveOptions.DisableFormatting);
    }

    string DeleteMany(string bucket, byte[] body)
    {
        var doc = XDocument.Parse(Encoding.UTF8.GetString(body));
        var result = new XElement(XName.Get("DeleteResult", Ns));
        foreach (var obj in doc.Descendants().Where(e => e.Name.LocalName == "Object"))
        {
            var key = obj.Elements().First(e => e.Name.LocalName == "Key").Value;
            Delete(bucket, key);
            result.Add(new XElement(XName.Get("Deleted", Ns), new XElement(XName.Get("Key", Ns), key)));
        }
        return result.ToString(SaveOptions.DisableFormatting);
    }

    // ---------------- storage: files under the state directory, or memory ----------------

    string BucketDir(string bucket) => Path.Combine(_root!, Uri.EscapeDataString(bucket));
    string ObjectFile(string bucket, string key) => Path.Combine(BucketDir(bucket), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))));

    IEnumerable<string> Buckets() => _root == null
        ? _memory.Keys.Order(StringComparer.Ordinal)
        : Directory.Exists(_root) ? Directory.GetDirectories(_root).Select(d => Uri.UnescapeDataString(Path.GetFileName(d))).Order(StringComparer.Ordinal) : [];

    bool BucketExists(string bucket) => _root == null ? _memory.ContainsKey(bucket) : Directory.Exists(BucketDir(bucket));

    void RequireBucket(string bucket)
    {
        if (!BucketExists(bucket)) throw new AwsError("NoSuchBucket", "The specified bucket does not exist", 404);
    }

    void CreateBucket(string bucket)
    {
        if (bucket.Length is < 3 or > 63 || bucket.Any(ch => !(char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '-' or '.')))
            throw new AwsError("InvalidBucketName", "The specified bucket is not valid.", 400);
        if (_root == null) _memory[bucket] = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
        else Directory.CreateDirectory(BucketDir(bucket));
    }

    void DeleteBucket(string bucket)
    {
        if (_root == null) _memory.Remove(bucket);
        else Directory.Delete(BucketDir(bucket), recursive: true);
    }

    IEnumerable<string> Keys(string bucket) => _root == null
        ? _memory[bucket].Keys
        : Directory.GetFiles(BucketDir(bucket), "*.key").Select(File.ReadAllText).Order(StringComparer.Ordinal);

    void Put(string bucket, string key, StoredObject o)
    {
        if (_root == null) { _memory[bucket][key] = o; return; }
        var file = ObjectFile(bucket, key);
        File.WriteAllBytes(file, o.Data);
        File.WriteAllText(file + ".meta", JsonSerializer.Serialize(new Metadata { ContentType = o.ContentType, ETag = o.ETag, Modified = o.Modified, UserMetadata = o.Metadata }));
        File.WriteAllText(file + ".key", key);
    }

    StoredObject? Get(string bucket, string key)
    {
        if (_root == null) return _memory[bucket].GetValueOrDefault(key);
        var file = ObjectFile(bucket, key);
        if (!File.Exists(file)) return null;
        var meta = JsonSerializer.Deserialize<Metadata>(File.ReadAllText(file + ".meta"))!;
        return new StoredObject(File.ReadAllBytes(file), meta.ContentType, meta.ETag, meta.Modified, meta.UserMetadata);
    }

    void Delete(string bucket, string key)
    {
        if (_root == null) { _memory[bucket].Remove(key); return; }
        var file = ObjectFile(bucket, key);
        foreach (var f in new[] { file, file + ".meta", file + ".key" }) File.Delete(f);
    }
}
