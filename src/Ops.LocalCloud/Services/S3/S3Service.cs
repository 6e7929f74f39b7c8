using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ops.LocalCloud.Services.S3;

/// <summary>
/// S3, path-style: buckets; objects streamed to and from disk (put, get with ranges and conditions, head, copy, delete,
/// multi-delete); multipart uploads; list v1/v2. Bucket and key come from the raw request target, decoded once.
/// </summary>
internal sealed partial class S3Service : IDisposable
{
    const string Ns = "http://s3.amazonaws.com/doc/2006-03-01/";
    const int MaximumXmlBody = 2 * 1024 * 1024;

    static readonly string[] StoredHeaders = ["Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"];

    /// <summary>Sub-resources not served (those of <see cref="S3BucketSetting"/> are, on a bucket).</summary>
    static readonly string[] UnsupportedSubresources =
    [
        "acl", "tagging", "torrent", "retention", "legal-hold", "restore", "select", "attributes", "policy", "policyStatus", "cors", "lifecycle",
        "website", "versioning", "notification", "encryption", "logging", "replication", "ownershipControls", "publicAccessBlock", "accelerate",
        "requestPayment", "analytics", "inventory", "metrics", "intelligent-tiering", "object-lock", "versions", "uploads",
    ];

    readonly S3ObjectStore _store;
    readonly S3Multipart _multipart;

    public S3Service(string? stateDirectory)
    {
        _store = new S3ObjectStore(stateDirectory);
        _multipart = new S3Multipart(_store);
    }

    /// <summary>Where objects are kept on disk (the state directory's s3/, or a private temporary directory).</summary>
    public string Root => _store.Root;

    /// <summary>Creates <paramref name="bucket"/> unless it exists (for services that make their own bucket, as Elastic Beanstalk's storage
    /// location).</summary>
    public void EnsureBucket(string bucket) => _store.CreateBucket(bucket);

    /// <summary>
    /// Copies an object's bytes to <paramref name="destination"/> (for services that read what was uploaded, as Elastic
    /// Beanstalk reads a version's source bundle); false when the bucket or the key does not exist.
    /// </summary>
    public async Task<bool> CopyObjectToAsync(string bucket, string key, Stream destination, CancellationToken cancellationToken)
    {
        if (!_store.BucketExists(bucket)) return false;
        using var stored = _store.Open(bucket, key);
        if (stored == null) return false;
        await stored.CopyToAsync(destination, 0, stored.Header.Size, cancellationToken);
        return true;
    }

    /// <summary>
    /// S3 service entry: the request is already authenticated (signature over headers checked). <paramref name="body"/> is the
    /// body as sent (aws-chunked framing still on); reading it may throw AwsError, in which case nothing has been stored.
    /// Writes the whole response; throws AwsError only before the response started.
    /// </summary>
    public async Task HandleAsync(HttpContext http, Stream body, RequestContext context, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var (bucket, key) = S3Target.Parse(raw);
        var query = request.Query;
        if (UnsupportedSubresources.FirstOrDefault(query.ContainsKey) is { } sub && !(sub == "uploads" && request.Method == "POST" && key.Length > 0)
            && !(key.Length == 0 && S3BucketSetting.All.Any(s => s.Name == sub)))
            throw NotImplemented(request, $"the '{sub}' subresource");

        if (bucket.Length == 0)
        {
            if (request.Method != "GET") throw NotImplemented(request, "this method on the service");
            await WriteXmlAsync(http, 200, ListBuckets(context), cancellationToken);
            return;
        }
        S3BucketName.Require(bucket);

        if (key.Length == 0)
        {
            switch (request.Method)
            {
                case "PUT" or "GET" or "DELETE" when S3BucketSetting.Of(query) is { } setting:
                    await BucketSettingAsync(http, bucket, setting, body, cancellationToken);
                    return;
                case "PUT": await CreateBucketAsync(http, bucket, body, cancellationToken); return;
                case "HEAD": _store.RequireBucket(bucket); http.Response.StatusCode = 200; return;
                case "DELETE": _store.DeleteBucket(bucket); http.Response.StatusCode = 204; return;
                case "GET" when query.ContainsKey("location"):
                    _store.RequireBucket(bucket);
                    await WriteXmlAsync(http, 200, new XElement(N("LocationConstraint"), context.Region == "us-east-1" ? null : context.Region), cancellationToken);
                    return;
                case "GET": await WriteXmlAsync(http, 200, List(bucket, query), cancellationToken); return;
                case "POST" when query.ContainsKey("delete"): await WriteXmlAsync(http, 200, await DeleteManyAsync(bucket, request, body, cancellationToken),
                    cancellationToken); return;
                default: throw NotImplemented(request, "this bucket operation");
            }
        }

        switch (request.Method)
        {
            case "PUT" when query.ContainsKey("uploadId"): await UploadPartAsync(http, bucket, key, body, context, cancellationToken); return;
            case "PUT" when request.Headers.ContainsKey("x-amz-copy-source"): await CopyAsync(http, bucket, key, context, cancellationToken); return;
            case "PUT": await PutAsync(http, bucket, key, body, context, cancellationToken); return;
            case "GET" when query.ContainsKey("uploadId"): await ListPartsAsync(http, bucket, key, cancellationToken); return;
            case "GET" or "HEAD": await GetAsync(http, bucket, key, cancellationToken); return;
            case "DELETE" when query.ContainsKey("uploadId"):
                _multipart.Abort(_multipart.Find(bucket, key, query["uploadId"].ToString()));
                http.Response.StatusCode = 204;
                return;
            case "DELETE": _store.Delete(bucket, key); http.Response.StatusCode = 204; return;
            case "POST" when query.ContainsKey("uploads"): await CreateUploadAsync(http, bucket, key, context, cancellationToken); return;
            case "POST" when query.ContainsKey("uploadId"): await CompleteUploadAsync(http, bucket, key, body, context, cancellationToken); return;
            default: throw NotImplemented(request, "this object operation");
        }
    }

    // ---------------- buckets ----------------

    XElement ListBuckets(RequestContext context) => new(N("ListAllMyBucketsResult"),
        new XElement(N("Owner"), new XElement(N("ID"), context.Account), new XElement(N("DisplayName"), "local")),
        new XElement(N("Buckets"), _store.Buckets().Select(b => new XElement(N("Bucket"), new XElement(N("Name"), b.Name), new XElement(N("CreationDate"), Iso(b.Created))))));

    async Task CreateBucketAsync(HttpContext http, string bucket, Stream body, CancellationToken cancellationToken)
    {
        await body.CopyToAsync(Stream.Null, cancellationToken); // the configuration (region) is not kept, but the body must be what was signed
        if (!_store.CreateBucket(bucket))
            throw new AwsError("BucketAlreadyOwnedByYou", $"Your previous request to create the named bucket succeeded and you already own it: {bucket}.", 409);
        http.Response.StatusCode = 200;
        http.Response.Headers.Location = "/" + bucket;
    }

    XElement List(string bucket, IQueryCollection query)
    {
        var v2 = query["list-type"] == "2";
        var prefix = query["prefix"].ToString();
        var delimiter = query["delimiter"].ToString();
        var url = query["encoding-type"].ToString() switch
        {
            "" => false,
            "url" => true,
            var other => throw new AwsError("InvalidArgument", $"Invalid Encoding Method specified in Request: '{other}' (only 'url' is supported).", 400),
        };
        var maxText = query["max-keys"].ToString();
        var maxKeys = maxText.Length == 0 ? 1000
            : int.TryParse(maxText, out var m) && m >= 0 ? Math.Min(m, 1000)
            : throw new AwsError("InvalidArgument", $"Provided max-keys not an integer or within integer range: '{maxText}'.", 400);
        var startAfter = v2 ? query["start-after"].ToString() : query["marker"].ToString();
        var token = query.ContainsKey("continuation-token") ? query["continuation-token"].ToString() : null;
        var after = v2 && token != null ? S3Listing.Position(token) : startAfter.Length > 0 ? startAfter : null;

        var page = S3Listing.List(_store.Objects(bucket), prefix, delimiter, after, maxKeys);
        string Encode(string s) => url ? Uri.EscapeDataString(s) : s;
        var result = new XElement(N("ListBucketResult"), new XElement(N("Name"), bucket), new XElement(N("Prefix"), Encode(prefix)));
        if (v2)
        {
            if (token != null) result.Add(new XElement(N("ContinuationToken"), token));
            if (startAfter.Length > 0) result.Add(new XElement(N("StartAfter"), Encode(startAfter)));
            result.Add(new XElement(N("KeyCount"), page.Contents.Count + page.CommonPrefixes.Count));
        }
        else result.Add(new XElement(N("Marker"), Encode(startAfter)));
        result.Add(new XElement(N("MaxKeys"), maxKeys));
        if (delimiter.Length > 0) result.Add(new XElement(N("Delimiter"), Encode(delimiter)));
        if (url) result.Add(new XElement(N("EncodingType"), "url"));
        result.Add(new XElement(N("IsTruncated"), page.IsTruncated ? "true" : "false"));
        if (page.IsTruncated && page.Last != null)
        {
            if (v2) result.Add(new XElement(N("NextContinuationToken"), S3Listing.Token(page.Last)));
            else if (delimiter.Length > 0) result.Add(new XElement(N("NextMarker"), Encode(page.Last)));
        }
        foreach (var o in page.Contents)
            result.Add(new XElement(N("Contents"), new XElement(N("Key"), Encode(o.Key)), new XElement(N("LastModified"), Iso(o.LastModified)),
                new XElement(N("ETag"), o.ETag), new XElement(N("Size"), o.Size), new XElement(N("StorageClass"), "STANDARD")));
        foreach (var p in page.CommonPrefixes) result.Add(new XElement(N("CommonPrefixes"), new XElement(N("Prefix"), Encode(p))));
        return result;
    }

    async Task<XElement> DeleteManyAsync(string bucket, HttpRequest request, Stream body, CancellationToken cancellationToken)
    {
        _store.RequireBucket(bucket);
        var doc = await ReadXmlAsync(request, body, cancellationToken);
        var quiet = doc.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "Quiet")?.Value == "true";
        var result = new XElement(N("DeleteResult"));
        foreach (var entry in doc.Descendants().Where(e => e.Name.LocalName == "Object"))
        {
            var key = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "Key")?.Value
                ?? throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: an Object has no Key.", 400);
            if (key.Length == 0 || Encoding.UTF8.GetByteCount(key) > S3Target.MaximumKeyBytes)
            {
                result.Add(new XElement(N("Error"), new XElement(N("Key"), key), new XElement(N("Code"), "InvalidArgument"), new XElement(N("Message"), "Key is empty or longer than 1024 bytes.")));
                continue;
            }
            _store.Delete(bucket, key);
            if (!quiet) result.Add(new XElement(N("Deleted"), new XElement(N("Key"), key)));
        }
        return result;
    }

    // ---------------- objects ----------------

    async Task PutAsync(HttpContext http, string bucket, string key, Stream body, RequestContext context, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var written = await _store.WriteAsync(bucket, key, Receive(request, body),
            (size, etag) => Describe(request, key) with { ETag = etag, Size = size, LastModified = context.Now }, cancellationToken);
        http.Response.StatusCode = 200;
        http.Response.Headers.ETag = written.ETag;
    }

    async Task GetAsync(HttpContext http, string bucket, string key, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var response = http.Response;
        using var stored = _store.Open(bucket, key) ?? throw new AwsError("NoSuchKey", $"The specified key does not exist: {key}.", 404);
        var o = stored.Header;
        response.Headers.ETag = o.ETag;
        response.Headers.LastModified = o.LastModified.ToString("r");
        if (S3Conditions.NotModified(request.Headers, o))
        {
            response.StatusCode = 304;
            return;
        }
        var range = request.Method == "GET" ? S3Range.Resolve(request.Headers.Range.ToString(), o.Size, response) : null;
        response.ContentType = o.ContentType;
        foreach (var (name, value) in o.Headers) response.Headers[name] = value;
        foreach (var (name, value) in o.UserMetadata) response.Headers["x-amz-meta-" + name] = value;
        foreach (var (parameter, value) in request.Query)
            if (parameter.StartsWith("response-", StringComparison.Ordinal)
                && StoredHeaders.Append("Content-Type").FirstOrDefault(h => h.Equals(parameter["response-".Length..], StringComparison.OrdinalIgnoreCase)) is { } header)
                response.Headers[header] = value.ToString();
        response.Headers.AcceptRanges = "bytes";
        if (range != null)
        {
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {range.Start}-{range.End}/{o.Size}";
        }
        else response.StatusCode = 200;
        response.ContentLength = range?.Length ?? o.Size;
        if (request.Method == "HEAD") return;
        await stored.CopyToAsync(response.Body, range?.Start ?? 0, range?.Length ?? o.Size, cancellationToken);
    }

    async Task CopyAsync(HttpContext http, string bucket, string key, RequestContext context, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var (sourceBucket, sourceKey) = CopySource(request.Headers["x-amz-copy-source"].ToString());
        var directive = request.Headers["x-amz-metadata-directive"].ToString() switch
        {
            "" or "COPY" => "COPY",
            "REPLACE" => "REPLACE",
            var other => throw new AwsError("InvalidArgument", $"Unknown metadata directive '{other}': use COPY or REPLACE.", 400),
        };
        if (sourceBucket == bucket && sourceKey == key && directive == "COPY")
            throw new AwsError("InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.", 400);
        _store.RequireBucket(bucket);
        using var source = _store.Open(sourceBucket, sourceKey) ?? throw new AwsError("NoSuchKey", $"The specified key does not exist: {sourceKey} (copy source).", 404);
        var described = directive == "COPY" ? source.Header with { Key = key } : Describe(request, key);
        var written = await _store.WriteAsync(bucket, key, async (destination, ct) =>
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await source.CopyToAsync(destination, 0, source.Header.Size, ct, md5);
            return S3ObjectFile.Quote(Convert.ToHexStringLower(md5.GetHashAndReset()));
        }, (size, etag) => described with { ETag = etag, Size = size, LastModified = context.Now }, cancellationToken);
        await WriteXmlAsync(http, 200, new XElement(N("CopyObjectResult"), new XElement(N("LastModified"), Iso(written.LastModified)), new XElement(N("ETag"), written.ETag)),
            cancellationToken);
    }

    /// <summary>x-amz-copy-source: "[/]bucket/key[?versionId=…]", URL-encoded; decoded once.</summary>
    static (string Bucket, string Key) CopySource(string header)
    {
        var value = header;
        var query = value.IndexOf('?');   // a '?' in a key arrives as %3F: a raw one starts the versionId
        if (query >= 0) value = value[..query];
        value = S3Target.Decode(value, header);   // once, as a whole: clients encode the separating '/' or not
        if (value.StartsWith('/')) value = value[1..];
        var slash = value.IndexOf('/');   // bucket names hold no '/', so the first one separates
        if (slash <= 0 || slash == value.Length - 1)
            throw new AwsError("InvalidArgument", $"Copy Source must mention the source bucket and key: sourcebucket/sourcekey (got '{header}').", 400);
        return (S3BucketName.Require(value[..slash]), value[(slash + 1)..]);
    }

    // ---------------- multipart ----------------

    async Task CreateUploadAsync(HttpContext http, string bucket, string key, RequestContext context, CancellationToken cancellationToken)
    {
        var upload = _multipart.Create(bucket, Describe(http.Request, key), context.Now);
        await WriteXmlAsync(http, 200, new XElement(N("InitiateMultipartUploadResult"),
            new XElement(N("Bucket"), bucket), new XElement(N("Key"), key), new XElement(N("UploadId"), upload.UploadId)), cancellationToken);
    }

    async Task UploadPartAsync(HttpContext http, string bucket, string key, Stream body, RequestContext context, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (request.Headers.ContainsKey("x-amz-copy-source")) throw NotImplemented(request, "UploadPartCopy");
        var partNumber = S3Multipart.PartNumber(request.Query["partNumber"]);
        var upload = _multipart.Find(bucket, key, request.Query["uploadId"].ToString());
        var part = await _multipart.WritePartAsync(upload, partNumber, Receive(request, body), context.Now, cancellationToken);
        http.Response.StatusCode = 200;
        http.Response.Headers.ETag = part.ETag;
    }

    async Task ListPartsAsync(HttpContext http, string bucket, string key, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var upload = _multipart.Find(bucket, key, query["uploadId"].ToString());
        var maxParts = int.TryParse(query["max-parts"], out var m) && m >= 0 ? Math.Min(m, 1000) : 1000;
        var marker = int.TryParse(query["part-number-marker"], out var k) ? k : 0;
        var after = _multipart.Parts(upload).Where(p => p.Number > marker).ToList();
        var page = after.Take(maxParts).ToList();
        var truncated = after.Count > page.Count;
        var result = new XElement(N("ListPartsResult"), new XElement(N("Bucket"), bucket), new XElement(N("Key"), key), new XElement(N("UploadId"), upload.UploadId),
            new XElement(N("PartNumberMarker"), marker), new XElement(N("NextPartNumberMarker"), page.Count > 0 ? page[^1].Number : marker),
            new XElement(N("MaxParts"), maxParts), new XElement(N("IsTruncated"), truncated ? "true" : "false"), new XElement(N("StorageClass"), "STANDARD"));
        foreach (var (number, part) in page)
            result.Add(new XElement(N("Part"), new XElement(N("PartNumber"), number), new XElement(N("LastModified"), Iso(part.LastModified)),
                new XElement(N("ETag"), part.ETag), new XElement(N("Size"), part.Size)));
        await WriteXmlAsync(http, 200, result, cancellationToken);
    }

    async Task CompleteUploadAsync(HttpContext http, string bucket, string key, Stream body, RequestContext context, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var upload = _multipart.Find(bucket, key, request.Query["uploadId"].ToString());
        var doc = await ReadXmlAsync(request, body, cancellationToken);
        var parts = doc.Descendants().Where(e => e.Name.LocalName == "Part").Select(p =>
        {
            var number = p.Elements().FirstOrDefault(e => e.Name.LocalName == "PartNumber")?.Value;
            var etag = p.Elements().FirstOrDefault(e => e.Name.LocalName == "ETag")?.Value;
            return int.TryParse(number, out var n) && etag != null ? (n, etag)
                : throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: each Part needs a PartNumber and an ETag.", 400);
        }).ToList();
        var written = await _multipart.CompleteAsync(upload, parts, context.Now, cancellationToken);
        await WriteXmlAsync(http, 200, new XElement(N("CompleteMultipartUploadResult"),
            new XElement(N("Location"), new Uri(context.BaseUrl, $"/{bucket}/{Uri.EscapeDataString(key)}").ToString()),
            new XElement(N("Bucket"), bucket), new XElement(N("Key"), key), new XElement(N("ETag"), written.ETag)), cancellationToken);
    }

    // ---------------- request and response helpers ----------------

    /// <summary>Streams an upload body to disk, removing aws-chunked framing, and checks its length and Content-MD5.</summary>
    static Func<Stream, CancellationToken, Task<string>> Receive(HttpRequest request, Stream body) => async (destination, cancellationToken) =>
    {
        var chunked = IsAwsChunked(request);
        var start = destination.Position;
        var etag = await S3ObjectFile.CopyHashingAsync(chunked ? new AwsChunkedStream(body) : body, destination, null, cancellationToken);
        var received = destination.Position - start;
        var declared = chunked
            ? long.TryParse(request.Headers["x-amz-decoded-content-length"], out var d) ? d : (long?)null
            : request.ContentLength;
        if (declared is { } expected && expected != received)
            throw new AwsError("IncompleteBody", $"You did not provide the number of bytes specified by the Content-Length HTTP header: {received} of {expected} bytes arrived.", 400);
        if (request.Headers["Content-MD5"].ToString() is { Length: > 0 } md5
            && !string.Equals(md5, Convert.ToBase64String(Convert.FromHexString(etag.Trim('"'))), StringComparison.Ordinal))
            throw new AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400);
        return etag;
    };

    static bool IsAwsChunked(HttpRequest request) =>
        request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal)
        || request.Headers.ContentEncoding.ToString().Contains("aws-chunked", StringComparison.OrdinalIgnoreCase);

    /// <summary>Key, content type, content headers and user metadata from a PUT (or a REPLACE copy, or a multipart create).</summary>
    static S3ObjectHeader Describe(HttpRequest request, string key)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in StoredHeaders)
            if (request.Headers[name].ToString() is { Length: > 0 } value) headers[name] = value;
        if (headers.TryGetValue("Content-Encoding", out var encoding))
        {
            var kept = string.Join(",", encoding.Split(',').Select(e => e.Trim()).Where(e => e.Length > 0 && !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)));
            if (kept.Length > 0) headers["Content-Encoding"] = kept;
            else headers.Remove("Content-Encoding");
        }
        return new S3ObjectHeader
        {
            Key = key,
            ContentType = string.IsNullOrEmpty(request.ContentType) ? "binary/octet-stream" : request.ContentType,
            Headers = headers,
            UserMetadata = request.Headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key["x-amz-meta-".Length..].ToLowerInvariant(), h => h.Value.ToString()),
        };
    }

    static async Task<XDocument> ReadXmlAsync(HttpRequest request, Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var source = IsAwsChunked(request) ? new AwsChunkedStream(body) : body;
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaximumXmlBody) throw new AwsError("MaxMessageLengthExceeded", $"Your request was too big: an XML body may have at most {MaximumXmlBody} bytes.", 400);
        }
        try
        {
            buffer.Position = 0;
            return Protocol.BoundedXml.Load(buffer);
        }
        catch (XmlException e)
        {
            throw new AwsError("MalformedXML", $"The XML you provided was not well-formed or did not validate against our published schema: {e.Message}", 400);
        }
    }

    static async Task WriteXmlAsync(HttpContext http, int status, XElement xml, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml.ToString(SaveOptions.DisableFormatting));
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/xml";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, cancellationToken);
    }

    static XName N(string name) => XName.Get(name, Ns);

    static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

    static AwsError NotImplemented(HttpRequest request, string what) =>
        new("NotImplemented", $"The local cloud does not implement {what} (S3 {request.Method} {request.Path}{request.QueryString}).", 501);

    public void Dispose() => _store.Dispose();
}
