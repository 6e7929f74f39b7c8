"""The IoTile cloud's web process as Elastic Beanstalk runs it: a small stdlib-only stand-in for the Django site.

It serves `/` (a page naming the stage and its static files) and `/health` (200 "ok" while the process serves;
it checks nothing external, so the load balancer's health check says exactly whether this process answers).
Settings come from the environment Ops gives the Beanstalk environment (docs/web.md): PORT, OPS_STAGE,
OPS_STATICS_URL or OPS_STATICS_BUCKET, and the names (never the values) of the stage's secrets.
"""
import html
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def statics_url():
    if os.environ.get("OPS_STATICS_URL"):
        return os.environ["OPS_STATICS_URL"].rstrip("/")
    bucket = os.environ.get("OPS_STATICS_BUCKET")
    return f"https://{bucket}.s3.amazonaws.com/static" if bucket else "/static"


class Handler(BaseHTTPRequestHandler):
    server_version = "iotile-web/1"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self.reply(200, "text/plain; charset=utf-8", b"ok\n")
        elif path == "/":
            stage = html.escape(os.environ.get("OPS_STAGE", "(no stage)"))
            secrets = html.escape(os.environ.get("OPS_SECRET_NAMES", ""))
            css = html.escape(statics_url() + "/css/site.css")
            body = (
                "<!doctype html><html><head><meta charset=utf-8><title>IoTile cloud</title>"
                f'<link rel="stylesheet" href="{css}"></head><body>'
                f"<h1>IoTile cloud</h1><p>Stage: <b>{stage}</b></p>"
                f"<p>Secrets read from SSM by name: {secrets or '(none)'}</p></body></html>\n"
            )
            self.reply(200, "text/html; charset=utf-8", body.encode())
        else:
            self.reply(404, "text/plain; charset=utf-8", b"not found\n")

    def do_HEAD(self):
        self.do_GET()

    def reply(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))


def main():
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"serving on http://{host}:{port} (stage {os.environ.get('OPS_STAGE', '-')})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print("stopped", flush=True)


if __name__ == "__main__":
    main()
