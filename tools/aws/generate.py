#!/usr/bin/env python3
"""Generate src/Ops.Aws/Generated/<Service>.g.cs and src/Ops.LocalCloud/Models/<service>.json from botocore's models.

Reads tools/aws/operations.txt. For each service it emits one file: the shapes that the listed
operations reach, a client class with one method per operation, and paginators (pages and items).
The listed waiters, with the official acceptors, go to tests/Ops.Aws.Waiters/Generated/ as extension
methods: only the tests use them (the product waits through Ops.Stack's Waiting). Output is deterministic: the same botocore and the same list
give the same bytes, so `--check` can compare a fresh generation with what is committed.

Usage:
    python3 tools/aws/generate.py            # write src/Ops.Aws/Generated/
    python3 tools/aws/generate.py --check    # exit 1 if the committed files differ from a fresh generation
    python3 tools/aws/generate.py --out DIR  # write elsewhere
"""
import argparse
import gzip
import json
import os
import re
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(ROOT, 'src', 'Ops.Aws', 'Generated')
WAITERS_OUT = os.path.join(ROOT, 'tests', 'Ops.Aws.Waiters', 'Generated')
MODELS_OUT = os.path.join(ROOT, 'src', 'Ops.LocalCloud', 'Models')

# Shape names that would clash with types every C# file sees through implicit usings
# (System, System.Collections.Generic, System.IO, System.Linq, System.Net.Http, System.Threading(.Tasks)).
RESERVED_TYPE_NAMES = {
    'Action', 'Array', 'Attribute', 'Barrier', 'Buffer', 'Comparer', 'Console', 'Convert', 'DateTime',
    'Delegate', 'Dictionary', 'Directory', 'Enum', 'Environment', 'Exception', 'File', 'Guid', 'HashSet',
    'HttpClient', 'HttpMethod', 'Index', 'KeyValuePair', 'Lazy', 'List', 'Lock', 'Math', 'Monitor', 'Object', 'Parallel',
    'Path', 'Progress', 'Queue', 'Random', 'Range', 'Stack', 'Stream', 'String', 'Task', 'Thread', 'Timeout',
    'Timer', 'Tuple', 'Type', 'Uri', 'Version', 'Volatile',
}

SCALARS = {
    'string': 'string', 'blob': 'byte[]', 'boolean': 'bool', 'integer': 'int', 'long': 'long',
    'double': 'double', 'float': 'double', 'timestamp': 'global::System.DateTimeOffset',
    'document': 'global::System.Text.Json.Nodes.JsonNode',
}
VALUE_TYPES = {'bool', 'int', 'long', 'double', 'global::System.DateTimeOffset'}
PROTOCOLS = {'json': 'Json', 'query': 'Query', 'ec2': 'Ec2', 'rest-xml': 'RestXml'}


def botocore_data():
    import botocore
    return os.path.join(os.path.dirname(botocore.__file__), 'data'), botocore.__version__


def load_json(path):
    for p in (path, path + '.gz'):
        if os.path.exists(p):
            opener = gzip.open if p.endswith('.gz') else open
            with opener(p, 'rt', encoding='utf-8') as f:
                return json.load(f)
    return None


def read_operations(path):
    services = OrderedDict()
    with open(path, encoding='utf-8') as f:
        for number, raw in enumerate(f, 1):
            line = raw.split('#', 1)[0].strip()
            if not line:
                continue
            head, sep, rest = line.partition(':')
            parts = head.split()
            if not sep or len(parts) != 2:
                sys.exit(f'{path}:{number}: expected "<service> <Name>: Op Op…" or "<service> waiters: W W…"')
            service, kind = parts
            entry = services.setdefault(service, {'name': None, 'ops': [], 'waiters': []})
            if kind == 'waiters':
                entry['waiters'] += rest.split()
            else:
                if entry['name'] not in (None, kind):
                    sys.exit(f'{path}:{number}: {service} is named both {entry["name"]} and {kind}')
                entry['name'] = kind
                entry['ops'] += rest.split()
    return services


def pascal(name):
    return name[0].upper() + name[1:]


class ServiceModel:
    def __init__(self, data_dir, service, spec):
        versions = sorted(d for d in os.listdir(os.path.join(data_dir, service)) if re.match(r'\d{4}-\d{2}-\d{2}$', d))
        base = os.path.join(data_dir, service, versions[-1])
        self.model = load_json(os.path.join(base, 'service-2.json'))
        self.paginators = (load_json(os.path.join(base, 'paginators-1.json')) or {}).get('pagination', {})
        self.waiters = (load_json(os.path.join(base, 'waiters-2.json')) or {}).get('waiters', {})
        self.meta = self.model['metadata']
        self.protocol = self.meta.get('protocol') or self.meta['protocols'][0]
        if self.protocol not in PROTOCOLS:
            sys.exit(f'{service}: protocol {self.protocol} is not supported')
        self.shapes = self.model['shapes']
        self.name = spec['name']
        self.service = service
        self.waiter_names = spec['waiters']
        ops = list(OrderedDict.fromkeys(spec['ops']))
        for w in self.waiter_names:
            if w not in self.waiters:
                sys.exit(f'{service}: no waiter named {w}; known: {", ".join(sorted(self.waiters))}')
            if self.waiters[w]['operation'] not in ops:
                ops.append(self.waiters[w]['operation'])
        for op in ops:
            if op not in self.model['operations']:
                sys.exit(f'{service}: no operation named {op}')
        self.ops = ops
        self.synthetic = {}  # synthetic empty shapes for operations with no input/output
        self.class_names = {}
        self.reachable = OrderedDict()
        for op in ops:
            o = self.model['operations'][op]
            for key, suffix in (('input', 'Request'), ('output', 'Response')):
                if key in o:
                    self.visit(o[key]['shape'])
                else:
                    self.synthetic[f'{op}{suffix}'] = True
        for name in self.reachable:
            self.class_names[name] = self.class_name(name)

    # ---------- shapes ----------
    def visit(self, name):
        if name in self.reachable:
            return
        shape = self.shapes[name]
        if shape['type'] == 'structure':
            self.reachable[name] = shape
            for m in shape.get('members', {}).values():
                self.visit(m['shape'])
        elif shape['type'] == 'list':
            self.visit(shape['member']['shape'])
        elif shape['type'] == 'map':
            self.visit(shape['key']['shape'])
            self.visit(shape['value']['shape'])

    def class_name(self, shape_name):
        name = pascal(shape_name)
        if name in RESERVED_TYPE_NAMES or name == f'{self.name}Client':
            name = self.name + name
        return name

    def io_class(self, op, key):
        o = self.model['operations'][op]
        if key in o:
            return self.class_names[o[key]['shape']]
        return f'{op}{"Request" if key == "input" else "Response"}'

    def member_names(self, shape_name):
        shape = self.shapes[shape_name]
        cls = self.class_names[shape_name]
        names = OrderedDict()
        used = set()
        for m in shape.get('members', {}):
            cs = pascal(m)
            if cs == cls:
                cs += 'Value'
            if cs in used:
                sys.exit(f'{self.service}: members of {shape_name} collide as {cs}')
            used.add(cs)
            names[m] = cs
        return names

    def cs_type(self, shape_name, nullable=True):
        shape = self.shapes[shape_name]
        t = shape['type']
        if t == 'structure':
            inner = self.class_names[shape_name]
        elif t == 'list':
            inner = f'List<{self.cs_type(shape["member"]["shape"], nullable=False)}>'
        elif t == 'map':
            inner = f'Dictionary<{self.cs_type(shape["key"]["shape"], False)}, {self.cs_type(shape["value"]["shape"], False)}>'
        else:
            inner = SCALARS[t]
        return inner + '?' if nullable else inner

    # ---------- wire names (mirrors botocore's serializers and parsers) ----------
    def member_attributes(self, shape_name, member, ref):
        target = self.shapes[ref['shape']]
        attrs = [f'JsonPropertyName("{member}")']
        if self.protocol == 'json':
            if target['type'] == 'timestamp' and 'timestampFormat' in ref:
                attrs.append(f'TimestampFormat("{ref["timestampFormat"]}")')
            return attrs
        location_name = ref.get('locationName')
        xml_name = location_name or member
        if xml_name != member:
            attrs.append(f'XmlName("{xml_name}")')
        if self.protocol == 'ec2':
            query = ref.get('queryName') or (pascal(location_name) if location_name else member)
        else:
            query = location_name or member
        if self.protocol in ('query', 'ec2') and query != member:
            attrs.append(f'QueryName("{query}")')
        if self.protocol == 'rest-xml' and ref.get('location') in ('uri', 'querystring', 'header', 'headers'):
            attrs.append(f'HttpBinding("{ref["location"]}", "{ref.get("locationName", member)}")')
        if target['type'] == 'list':
            item = target['member'].get('locationName')
            flattened = bool(ref.get('flattened') or target.get('flattened'))
            attrs.append(f'ListShape({json.dumps(item) if item else "null"}, {str(flattened).lower()})')
        elif target['type'] == 'map':
            flattened = bool(ref.get('flattened') or target.get('flattened'))
            attrs.append(f'MapShape("{target["key"].get("locationName", "key")}", '
                         f'"{target["value"].get("locationName", "value")}", {str(flattened).lower()})')
        fmt = ref.get('timestampFormat') or target.get('timestampFormat')
        if target['type'] == 'timestamp' and fmt:
            attrs.append(f'TimestampFormat("{fmt}")')
        return attrs

    # ---------- trimmed model for LocalCloud ----------
    def trimmed_model(self, botocore_version):
        keep_meta = ('apiVersion', 'endpointPrefix', 'jsonVersion', 'protocol', 'serviceId', 'signingName',
                     'targetPrefix', 'xmlNamespace', 'awsQueryCompatible')
        ops = OrderedDict()
        for op in self.ops:
            o = self.model['operations'][op]
            ops[op] = {k: o[k] for k in ('name', 'http', 'input', 'output', 'errors') if k in o}
        reachable = OrderedDict()

        def visit(name):
            if name in reachable:
                return
            shape = {k: v for k, v in self.shapes[name].items() if k not in ('documentation', 'deprecated', 'deprecatedMessage')}
            for key in ('members',):
                if key in shape:
                    shape[key] = OrderedDict((m, {k: v for k, v in ref.items() if k != 'documentation'})
                                             for m, ref in shape[key].items())
            reachable[name] = shape
            for ref in shape.get('members', {}).values():
                visit(ref['shape'])
            for key in ('member', 'key', 'value'):
                if key in shape:
                    visit(shape[key]['shape'])

        for o in ops.values():
            for key in ('input', 'output'):
                if key in o:
                    visit(o[key]['shape'])
            for e in o.get('errors', []):
                visit(e['shape'])
        model = OrderedDict([
            ('generatedFrom', f'botocore {botocore_version} data/{self.service}/{self.meta["apiVersion"]}'),
            ('metadata', {k: self.meta[k] for k in keep_meta if k in self.meta}),
            ('operations', ops), ('shapes', reachable),
        ])
        return json.dumps(model, indent=1, sort_keys=False) + '\n'

    # ---------- emit ----------
    def header(self, w, botocore_version, listed):
        """The lines every generated file opens with: where it came from, and which list of operations.txt it follows."""
        w('// <auto-generated>')
        w(f'// Generated by tools/aws/generate.py from botocore {botocore_version} data/{self.service}/'
          f'{self.meta["apiVersion"]}; do not edit. {listed}: tools/aws/operations.txt.')
        w('// </auto-generated>')
        w('#nullable enable')
        w('#pragma warning disable CS1591')

    def emit(self, botocore_version):
        out = []
        w = out.append
        self.header(w, botocore_version, 'Operations')
        w('using System.Runtime.CompilerServices;')
        w('using System.Text.Json.Serialization;')
        w('using Ops.Aws.Runtime;')
        w('using Ops.Aws.Serialization;')
        w('')
        w(f'namespace Ops.Aws.{self.name};')
        w('')
        self.emit_client(w)
        for name in self.reachable:
            self.emit_shape(w, name)
        for name in sorted(self.synthetic):
            w(f'public sealed partial class {name}')
            w('{')
            w(f'    internal {name} ShallowCopy() => ({name})MemberwiseClone();')
            w('}')
            w('')
        return '\n'.join(out).rstrip() + '\n'

    def emit_shape(self, w, name):
        shape = self.shapes[name]
        cls = self.class_names[name]
        names = self.member_names(name)
        payload = shape.get('payload')
        w(f'public sealed partial class {cls}')
        w('{')
        for member, ref in shape.get('members', {}).items():
            attrs = self.member_attributes(name, member, ref)
            if self.protocol == 'rest-xml' and member == payload:
                root = ref.get('locationName') or self.shapes[ref['shape']].get('locationName') or ref['shape']
                ns = (ref.get('xmlNamespace') or {}).get('uri')
                attrs.append(f'HttpPayload("{root}", {json.dumps(ns) if ns else "null"})')
            w(f'    [{", ".join(attrs)}]')
            w(f'    public {self.cs_type(ref["shape"])} {names[member]} {{ get; set; }}')
            w('')
        w(f'    internal {cls} ShallowCopy() => ({cls})MemberwiseClone();')
        w('}')
        w('')

    def emit_client(self, w):
        m = self.meta
        proto = PROTOCOLS[self.protocol]
        target = f'"{m["targetPrefix"]}"' if 'targetPrefix' in m else 'null'
        jsonv = m.get('jsonVersion', '1.1')
        query_compatible = 'awsQueryCompatible' in m
        client = f'{self.name}Client'
        w(f'/// <summary>{m.get("serviceFullName", self.name)} ({self.meta["apiVersion"]}), the operations Ops uses.</summary>')
        w(f'public sealed partial class {client} : AwsClient')
        w('{')
        w(f'    public static readonly AwsServiceInfo Info = new("{m["serviceId"]}", "{m["endpointPrefix"]}", '
          f'"{m.get("signingName", m["endpointPrefix"])}", "{m["apiVersion"]}", AwsProtocol.{proto}, {target}, '
          f'"{jsonv}", {str(query_compatible).lower()});')
        w('')
        w(f'    public {client}(AwsConnection connection) : base(connection, Info) {{ }}')
        w('')
        for op in self.ops:
            o = self.model['operations'][op]
            req, resp = self.io_class(op, 'input'), self.io_class(op, 'output')
            http = o.get('http', {})
            wrapper = o.get('output', {}).get('resultWrapper')
            args = [f'"{op}"']
            if self.protocol == 'rest-xml':
                args += [f'"{http.get("method", "POST")}"', f'"{http.get("requestUri", "/")}"']
            if wrapper:
                args.append(f'ResultWrapper: "{wrapper}"')
            default = ' = null' if 'input' not in o or not self.shapes[o['input']['shape']].get('required') else ''
            w(f'    static readonly AwsOperation {op}Operation = new({", ".join(args)});')
            w(f'    public Task<{resp}> {op}Async({req}{"?" if default else ""} request{default}, CancellationToken cancellationToken = default)')
            w(f'        => InvokeAsync<{req}, {resp}>({op}Operation, request ?? new {req}(), cancellationToken);' if default else
              f'        => InvokeAsync<{req}, {resp}>({op}Operation, request, cancellationToken);')
            w('')
            self.emit_paginator(w, op, req, resp)
        w('}')
        w('')

    def path_expr(self, shape_name, path):
        """C# access for a dotted model path from a shape, and the model shape it ends on."""
        expr, current = 'response', shape_name
        for i, part in enumerate(path.split('.')):
            shape = self.shapes[current]
            if shape['type'] != 'structure' or part not in shape.get('members', {}):
                return None, None
            expr += ('?.' if i else '.') + self.member_names(current)[part]
            current = shape['members'][part]['shape']
        return expr, current

    def emit_paginator(self, w, op, req, resp):
        p = self.paginators.get(op)
        o = self.model['operations'][op]
        if not p or 'input' not in o or 'output' not in o:
            return
        in_tok, out_tok = p['input_token'], p['output_token']
        if not isinstance(in_tok, str) or not isinstance(out_tok, str) or '[' in out_tok:
            return
        in_shape, out_shape = o['input']['shape'], o['output']['shape']
        if in_tok not in self.shapes[in_shape].get('members', {}):
            return
        in_member = self.member_names(in_shape)[in_tok]
        out_expr, _ = self.path_expr(out_shape, out_tok)
        if out_expr is None:
            return
        more = p.get('more_results')
        more_expr = self.path_expr(out_shape, more)[0] if more else None
        w(f'    /// <summary>Every page of {op}, following {out_tok} until the service stops returning one.</summary>')
        w(f'    public async IAsyncEnumerable<{resp}> {op}PagesAsync({req} request, [EnumeratorCancellation] CancellationToken cancellationToken = default)')
        w('    {')
        w('        var page = request.ShallowCopy();')
        w('        while (true)')
        w('        {')
        w(f'            var response = await {op}Async(page, cancellationToken).ConfigureAwait(false);')
        w('            yield return response;')
        w(f'            var next = {out_expr};')
        stop = f'next is null || next == page.{in_member}'
        if self.cs_type(self.shapes[in_shape]['members'][in_tok]['shape']) == 'string?':
            stop = f'string.IsNullOrEmpty(next) || next == page.{in_member}'
        if more_expr:
            stop = f'{more_expr} != true || ' + stop
        w(f'            if ({stop}) yield break;')
        w('            page = page.ShallowCopy();')
        w(f'            page.{in_member} = next;')
        w('        }')
        w('    }')
        w('')
        keys = p.get('result_key')
        if isinstance(keys, str):
            item_expr, item_shape = self.path_expr(out_shape, keys)
            if item_expr and self.shapes[item_shape]['type'] == 'list':
                item_type = self.cs_type(self.shapes[item_shape]['member']['shape'], nullable=False)
                w(f'    /// <summary>Every item of {keys} across all pages of {op}.</summary>')
                w(f'    public async IAsyncEnumerable<{item_type}> {op}ItemsAsync({req} request, [EnumeratorCancellation] CancellationToken cancellationToken = default)')
                w('    {')
                w(f'        await foreach (var response in {op}PagesAsync(request, cancellationToken).ConfigureAwait(false))')
                w(f'            foreach (var item in {item_expr} ?? [])')
                w('                yield return item;')
                w('    }')
                w('')

    def emit_waiters(self, botocore_version):
        """The test-only waiters of this service (tests/Ops.Aws.Waiters): extension methods on its client; None when it has none."""
        if not self.waiter_names:
            return None
        out = []
        w = out.append
        self.header(w, botocore_version, 'Waiters')
        w(f'using Ops.Aws.{self.name};')
        w('')
        w('namespace Ops.Aws.Waiters;')
        w('')
        w(f'/// <summary>The official waiters of {self.name} the tests use.</summary>')
        w(f'public static class {self.name}Waiters')
        w('{')
        for name in self.waiter_names:
            self.emit_waiter(w, name)
        w('}')
        return '\n'.join(out).rstrip() + '\n'

    def emit_waiter(self, w, name):
        wt = self.waiters[name]
        op = wt['operation']
        req, resp = self.io_class(op, 'input'), self.io_class(op, 'output')
        acceptors = []
        for a in wt['acceptors']:
            expected = json.dumps(json.dumps(a['expected']))
            argument = json.dumps(a.get('argument')) if a.get('argument') is not None else 'null'
            acceptors.append(f'new(WaiterState.{pascal(a["state"])}, WaiterMatcher.{pascal(a["matcher"])}, {argument}, {expected})')
        w(f'    static readonly WaiterDefinition {name}Waiter = new("{name}", {wt["delay"]}, {wt["maxAttempts"]},')
        w('    [')
        for a in acceptors:
            w(f'        {a},')
        w('    ]);')
        w(f'    /// <summary>Polls {op} until the official {name} acceptors say success (default {wt["delay"]} s × {wt["maxAttempts"]}).</summary>')
        w(f'    public static Task<{resp}> WaitUntil{name}Async(this {self.name}Client client, {req} request, WaiterOptions? options = null, CancellationToken cancellationToken = default)')
        w(f'        => Waiter.WaitAsync({name}Waiter, ct => client.{op}Async(request, ct), options, cancellationToken);')
        w('')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT)
    parser.add_argument('--models-out', default=MODELS_OUT)
    parser.add_argument('--check', action='store_true', help='compare with the committed files instead of writing')
    args = parser.parse_args()
    data_dir, version = botocore_data()
    services = read_operations(os.path.join(HERE, 'operations.txt'))
    model_only = read_operations(os.path.join(HERE, 'model-only.txt'))
    files, models, waiters = {}, {}, {}
    for service, spec in services.items():
        model = ServiceModel(data_dir, service, spec)
        files[f'{spec["name"]}.g.cs'] = model.emit(version)
        if (text := model.emit_waiters(version)) is not None:
            waiters[f'{spec["name"]}Waiters.g.cs'] = text
        models[f'{service}.json'] = model.trimmed_model(version)
    for service, spec in model_only.items():
        models[f'{service}.json'] = ServiceModel(data_dir, service, spec).trimmed_model(version)
    outputs = [(args.out, files, '.g.cs'), (args.models_out, models, '.json'), (WAITERS_OUT, waiters, '.g.cs')]

    if args.check:
        problems = []
        for out, generated, suffix in outputs:
            existing = {f for f in os.listdir(out) if f.endswith(suffix)} if os.path.isdir(out) else set()
            problems += [f'stale {f}' for f in sorted(existing - set(generated))]
            problems += [f'changed {f}' for f, text in sorted(generated.items())
                         if not os.path.exists(os.path.join(out, f))
                         or open(os.path.join(out, f), encoding='utf-8').read() != text]
        if problems:
            print(f'Generated code is out of date (botocore {version}): {", ".join(problems)}. '
                  f'Run: python3 tools/aws/generate.py', file=sys.stderr)
            return 1
        print(f'Generated code matches a fresh generation from botocore {version} ({len(files)} clients, {len(models)} models).')
        return 0

    for out, generated, suffix in outputs:
        os.makedirs(out, exist_ok=True)
        for f in os.listdir(out):
            if f.endswith(suffix) and f not in generated:
                os.remove(os.path.join(out, f))
        for f, text in generated.items():
            with open(os.path.join(out, f), 'w', encoding='utf-8', newline='\n') as fh:
                fh.write(text)
    print(f'Wrote {len(files)} clients to {os.path.relpath(args.out, ROOT)}, {len(waiters)} waiter sets to '
          f'{os.path.relpath(WAITERS_OUT, ROOT)} and {len(models)} models to {os.path.relpath(args.models_out, ROOT)} from botocore {version}.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
