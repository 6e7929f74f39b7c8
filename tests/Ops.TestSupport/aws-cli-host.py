"""Keeps the aws CLI loaded for the tests (tests/Ops.TestSupport/AwsCli.cs).

Reads one JSON request per line on stdin, {"args": [...], "env": {...}}, runs the CLI's own driver on it exactly as
`aws <args>` does (awscli.clidriver: the same parser, session, botocore and output formatter), and writes one JSON line
back, {"code": n, "stdout": "...", "stderr": "..."}. Each request gets a fresh driver and session over the host's
environment plus the request's, so nothing but the loaded modules and the parsed service models (read-only data files)
carries over from one call to the next. What it saves is Python's and botocore's start-up and the parsing of the models,
about a second of CPU per call. Exits at the end of its input.
"""
import contextlib
import io
import json
import os
import sys

import botocore.session
from awscli import clidriver

# Service models are read-only data files: one loader (and its cache of parsed models) serves every call.
_loaders = {}
_create_loader = botocore.session.create_loader


def shared_loader(search_path_string=None):
    if search_path_string not in _loaders:
        _loaders[search_path_string] = _create_loader(search_path_string)
    return _loaders[search_path_string]


botocore.session.create_loader = shared_loader


def run(request, base):
    os.environ.clear()
    os.environ.update(base)
    os.environ.update(request["env"])
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = clidriver.create_clidriver().main(request["args"])
        except SystemExit as e:  # argparse's usage errors exit as the CLI's would
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except Exception as e:  # the CLI catches its own; this is the host's
            stderr.write(f"aws-cli-host: {type(e).__name__}: {e}\n")
            code = 255
    return {"code": code, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}


def main():
    # The caller's AWS settings come with each request; AWS_DATA_PATH is the CLI's own, set when awscli is imported.
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") or k == "AWS_DATA_PATH"}
    reply = sys.stdout
    reply.write("ready\n")
    reply.flush()
    for line in sys.stdin:
        reply.write(json.dumps(run(json.loads(line), base)) + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
