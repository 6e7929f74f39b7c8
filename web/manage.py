#!/usr/bin/env python3
"""The web app's management commands, like Django's manage.py: `collectstatic [--noinput] [--clear]`.

collectstatic copies every file under static/ into staticfiles/ (STATIC_ROOT), as Django does, so that
`./build.sh deploy-statics` can sync that directory to the statics bucket.
"""
import argparse
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC_DIRS = [os.path.join(HERE, "static")]
STATIC_ROOT = os.path.join(HERE, "staticfiles")


def collectstatic(args):
    if args.clear and os.path.isdir(STATIC_ROOT):
        shutil.rmtree(STATIC_ROOT)
    copied = unmodified = 0
    for source_root in STATIC_DIRS:
        for directory, _, files in os.walk(source_root):
            for name in sorted(files):
                source = os.path.join(directory, name)
                target = os.path.join(STATIC_ROOT, os.path.relpath(source, source_root))
                with open(source, "rb") as f:
                    data = f.read()
                if os.path.isfile(target):
                    with open(target, "rb") as f:
                        if f.read() == data:
                            unmodified += 1
                            continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(data)
                copied += 1
    print(f"{copied} static file(s) copied to '{STATIC_ROOT}', {unmodified} unmodified.")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(prog="manage.py")
    commands = parser.add_subparsers(dest="command", required=True)
    collect = commands.add_parser("collectstatic", help="copy static/ into staticfiles/")
    collect.add_argument("--noinput", "--no-input", action="store_true", help="never prompt (the only mode)")
    collect.add_argument("--clear", action="store_true", help="remove staticfiles/ first")
    args = parser.parse_args(argv)
    if args.command == "collectstatic":
        return collectstatic(args)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
