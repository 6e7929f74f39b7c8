using System.Text.Json.Nodes;

namespace Ops.LocalCloud.State;

/// <summary>
/// Folds log entries into the services' JSON documents: a snapshot replaces a service's document, a record entry sets or
/// removes one record in it. Entries are full values, so replaying a log over a document that already holds some of
/// it ends where the log ends. A record whose container is gone (its table or queue deleted) is skipped.
/// Lists are indexed while replaying, so that each entry costs the same however long the list is.
/// </summary>
internal sealed class StateLogReplay(Func<string, JsonObject> load)
{
    readonly Dictionary<string, JsonObject> _documents = new(StringComparer.Ordinal);
    readonly Dictionary<JsonArray, ListIndex> _lists = new(ReferenceEqualityComparer.Instance);

    /// <summary>The services whose document changed, with their documents (lists put back in order).</summary>
    public IReadOnlyDictionary<string, JsonObject> Documents
    {
        get
        {
            foreach (var (array, index) in _lists) index.WriteBack(array);
            _lists.Clear();
            return _documents;
        }
    }

    /// <summary>A whole snapshot of <paramref name="service"/>.</summary>
    public void Snapshot(string service, string json)
    {
        // Indexes of lists in the document being replaced are dropped with it.
        if (_documents.TryGetValue(service, out var old)) Forget(old);
        _documents[service] = JsonNode.Parse(json)?.AsObject() ?? [];
    }

    /// <summary>One record: <c>{"p": [path], "k": list key or null, "v": value or null}</c>.</summary>
    public void Record(string service, string entry)
    {
        var node = JsonNode.Parse(entry)!.AsObject();
        var path = node["p"]!.AsArray().Select(p => (string)p!).ToList();
        var listKey = (string?)node["k"];
        var value = node["v"];
        node.Remove("v");
        if (!_documents.TryGetValue(service, out var document)) _documents[service] = document = load(service);

        JsonObject parent = document;
        var parents = path.Count - (listKey == null ? 1 : 2);
        for (var i = 0; i < parents; i++)
        {
            if (parent[path[i]] is not JsonObject next) return; // its container is gone: nothing to set or remove
            parent = next;
        }
        if (listKey == null)
        {
            if (value == null) parent.Remove(path[^1]);
            else parent[path[^1]] = value;
            return;
        }
        if (parent[path[^2]] is not JsonArray list) return;
        if (!_lists.TryGetValue(list, out var index)) _lists[list] = index = new ListIndex(list, listKey);
        index.Set(path[^1], value);
    }

    void Forget(JsonObject document)
    {
        foreach (var array in _lists.Keys.Where(a => a.Root == document).ToList()) _lists.Remove(array);
    }

    /// <summary>A list's elements by key while replaying; removed ones are holes until the list is written back.</summary>
    sealed class ListIndex
    {
        readonly List<JsonNode?> _items;
        readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

        public ListIndex(JsonArray list, string key)
        {
            _items = [.. list];
            list.Clear();
            for (var i = 0; i < _items.Count; i++)
                if (_items[i]?[key] is JsonValue v && v.TryGetValue<string>(out var k)) _positions[k] = i;
        }

        public void Set(string key, JsonNode? value)
        {
            if (_positions.TryGetValue(key, out var at))
            {
                _items[at] = value;
                if (value == null) _positions.Remove(key);
            }
            else if (value != null)
            {
                _positions[key] = _items.Count;
                _items.Add(value);
            }
        }

        public void WriteBack(JsonArray list)
        {
            foreach (var item in _items)
                if (item != null) list.Add(item);
        }
    }

    /// <summary>Serialises a document as the service files hold it.</summary>
    public static string Serialize(JsonObject document) => document.ToJsonString();
}
