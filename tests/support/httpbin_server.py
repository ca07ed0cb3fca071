#!/usr/bin/python3
"""Local httpbin for flowtest's tests and benchmarks.

Serves Debian's python3-httpbin 0.7.0 Flask app plus the `/json` route that 0.7.0 lacks, on
127.0.0.1. Port 0 (the default) picks a free port; the chosen port is printed on stdout as one
line and, with --port-file, written to that file (atomically), so callers never race for ports.
Nothing else is written to stdout; request logs are off and errors go to stderr.

Modes:
  default                          werkzeug's threaded server (tests)
  --gunicorn --workers N --threads M   gunicorn, N processes of M threads each (benchmarks)

With --tls-dir DIR it serves HTTPS (werkzeug mode) with certificates made by `openssl` in DIR
(kept when present): ca.pem (the CA to trust), server.pem/.key (for 127.0.0.1 and localhost),
client.pem/client.key and client.p12 (a client certificate; key and bundle use the passphrase
"flowtest"). Client certificates are asked for, not required; the extra route /tls-info answers
{"version": "TLSv1.3", "client_cert": true|false} for the current connection.

The server exits on SIGTERM/SIGINT and when the process it watches dies: by default its parent
(--watch-pid PID to watch another one, --watch-pid 0 to watch none).

Run it with Debian's interpreter (/usr/bin/python3): that is where python3-httpbin lives.
"""

import argparse
import os
import signal
import socket
import sys
import threading
import time

EXIT_MISSING_DEPENDENCY = 3


def parse_args(argv):
    parser = argparse.ArgumentParser(description="local httpbin for flowtest")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one")
    parser.add_argument("--port-file", help="write the chosen port to this file")
    parser.add_argument("--watch-pid", type=int, default=None,
                        help="exit when this process dies (default: the parent; 0: never)")
    parser.add_argument("--tls-dir", help="serve HTTPS with test certificates kept in this folder")
    parser.add_argument("--gunicorn", action="store_true", help="serve with gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    if args.workers < 1 or args.threads < 1:
        parser.error("--workers and --threads must be at least 1")
    if args.tls_dir and args.gunicorn:
        parser.error("--tls-dir works with the werkzeug server only")
    return args


def load_app():
    """httpbin's Flask app with the `/json` route of httpbin 0.9 added."""
    try:
        import httpbin.core as core
    except ImportError as error:  # python3-httpbin (or one of its dependencies) is missing
        sys.stderr.write("httpbin_server: cannot import httpbin (%s); "
                         "install python3-httpbin (scripts/install-deps.sh)\n" % error)
        sys.exit(EXIT_MISSING_DEPENDENCY)

    app = core.app
    if "view_sample_json_page" not in app.view_functions:
        def view_sample_json_page():
            """Returns a simple JSON document (GET and HEAD), as httpbin 0.9 does."""
            return core.jsonify(slideshow={
                "title": "Sample Slide Show",
                "date": "date of publication",
                "author": "Yours Truly",
                "slides": [
                    {"type": "all", "title": "Wake up to WonderWidgets!"},
                    {
                        "type": "all",
                        "title": "Overview",
                        "items": [
                            "Why <em>WonderWidgets</em> are great",
                            "Who <em>buys</em> WonderWidgets",
                        ],
                    },
                ],
            })

        app.add_url_rule("/json", "view_sample_json_page", view_sample_json_page,
                         methods=["GET"])  # Flask adds HEAD (and OPTIONS) to GET routes
    return app


TLS_PASSPHRASE = "flowtest"


def make_test_certificates(folder):
    """CA, server and client certificates for HTTPS tests, made once with the openssl tool."""
    import subprocess

    os.makedirs(folder, exist_ok=True)
    path = lambda name: os.path.join(folder, name)
    wanted = ["ca.pem", "server.pem", "server.key", "client.pem", "client.key", "client.p12"]
    if all(os.path.exists(path(name)) for name in wanted):
        return

    def openssl(*args):
        subprocess.run(["openssl"] + list(args), check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    with open(path("server.ext"), "w") as ext:
        ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("req", "-x509", *ec, "-nodes", "-keyout", path("ca.key"), "-out", path("ca.pem"),
            "-days", "3650", "-subj", "/CN=flowtest test CA")
    openssl("req", *ec, "-nodes", "-keyout", path("server.key"), "-out", path("server.csr"),
            "-subj", "/CN=127.0.0.1")
    openssl("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey",
            path("ca.key"), "-set_serial", "2", "-days", "3650", "-extfile", path("server.ext"),
            "-out", path("server.pem"))
    openssl("req", *ec, "-keyout", path("client.key"), "-passout", "pass:" + TLS_PASSPHRASE,
            "-out", path("client.csr"), "-subj", "/CN=flowtest client")
    openssl("x509", "-req", "-in", path("client.csr"), "-CA", path("ca.pem"), "-CAkey",
            path("ca.key"), "-set_serial", "3", "-days", "3650", "-out", path("client.pem"))
    openssl("pkcs12", "-export", "-in", path("client.pem"), "-inkey", path("client.key"),
            "-passin", "pass:" + TLS_PASSPHRASE, "-passout", "pass:" + TLS_PASSPHRASE,
            "-out", path("client.p12"))


def tls_context(folder, app):
    """The server's TLS context; also adds the /tls-info route."""
    import ssl
    import subprocess

    try:
        make_test_certificates(folder)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        sys.stderr.write("httpbin_server: cannot make test certificates in %s: %s %s\n"
                         % (folder, error, detail.decode(errors="replace")))
        sys.exit(EXIT_MISSING_DEPENDENCY)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(folder, "server.pem"), os.path.join(folder, "server.key"))
    context.load_verify_locations(os.path.join(folder, "ca.pem"))
    context.verify_mode = ssl.CERT_OPTIONAL  # ask for a client certificate, verify it if sent
    context.set_alpn_protocols(["http/1.1"])

    from flask import jsonify, request

    def tls_info():
        connection = request.environ.get("werkzeug.socket")
        version = connection.version() if hasattr(connection, "version") else None
        return jsonify(version=version, client_cert="SSL_CLIENT_CERT" in request.environ)

    app.add_url_rule("/tls-info", "tls_info", tls_info, methods=["GET"])
    return context


def bind_listener(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def announce_port(port, port_file):
    if port_file:
        tmp = "%s.tmp.%d" % (port_file, os.getpid())
        with open(tmp, "w") as out:
            out.write("%d\n" % port)
        os.replace(tmp, port_file)
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()


def watch_process(pid):
    """Sends ourselves SIGTERM once `pid` (our parent unless told otherwise) is gone."""
    if pid == 0:
        return
    watching_parent = pid == os.getppid()

    def is_alive():
        if watching_parent:
            return os.getppid() == pid  # re-parented: the parent died (immune to pid reuse)
        try:
            with open("/proc/%d/stat" % pid) as stat:
                state = stat.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in ("Z", "X")  # a zombie is dead, though not yet reaped

    def loop():
        while is_alive():
            time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGTERM)

    if not is_alive():
        sys.exit(0)
    threading.Thread(target=loop, name="watch-parent", daemon=True).start()


MAX_BUFFERED_BODY = 64 * 1024 * 1024


def serve_werkzeug(app, sock, ssl_context=None):
    import io
    from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

    class KeepAliveHandler(WSGIRequestHandler):
        """werkzeug's handler with HTTP/1.1 keep-alive and without request logs.

        werkzeug 2.2 closes every connection because the app may leave part of a request body
        unread; here the body is read in full first, so the next request starts at the right
        byte and the connection can stay open (clients reuse it, as real servers allow).
        """

        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are separate writes
        timeout = 120  # seconds an idle keep-alive connection stays open
        reusable = False

        def make_environ(self):
            environ = super().make_environ()
            self.reusable = self.request_version == "HTTP/1.1" and not self.close_connection
            if environ.get("wsgi.input_terminated"):
                self.reusable = False  # chunked body: left to werkzeug, then closed
                return environ
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BUFFERED_BODY:
                self.reusable = False
            elif length > 0:
                body = self.rfile.read(length)
                if len(body) != length:
                    self.reusable = False
                environ["wsgi.input"] = io.BytesIO(body)
            return environ

        def send_header(self, keyword, value):
            if self.reusable and keyword.lower() == "connection" and value.lower() == "close":
                return
            super().send_header(keyword, value)

        def log_request(self, *args, **kwargs):
            pass

        def log_error(self, format, *args):
            if format.startswith("Request timed out") or format.startswith("code %d"):
                return  # an idle keep-alive connection expired; a client sent a bad request
            super().log_error(format, *args)

    server = ThreadedWSGIServer(sock.getsockname()[0], sock.getsockname()[1], app,
                                handler=KeepAliveHandler, ssl_context=ssl_context,
                                fd=sock.fileno())
    sock.close()  # the server holds its own duplicate of the listening socket

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        server.server_close()


def serve_gunicorn(app, sock, workers, threads):
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as error:
        sys.stderr.write("httpbin_server: cannot import gunicorn (%s); install gunicorn\n" % error)
        sys.exit(EXIT_MISSING_DEPENDENCY)

    os.set_inheritable(sock.fileno(), True)
    settings = {
        "bind": ["fd://%d" % sock.fileno()],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "keepalive": 30,
        "graceful_timeout": 1,
        "timeout": 60,
        "loglevel": "warning",
        "accesslog": None,
        "errorlog": "-",  # stderr
        "preload_app": True,
    }

    class Server(BaseApplication):
        def load_config(self):
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    Server().run()


def main(argv):
    args = parse_args(argv)
    app = load_app()
    ssl_context = tls_context(args.tls_dir, app) if args.tls_dir else None
    try:
        sock = bind_listener(args.host, args.port)
    except OSError as error:
        sys.stderr.write("httpbin_server: cannot bind %s:%d: %s\n"
                         % (args.host, args.port, error.strerror or error))
        return 1
    watch_process(os.getppid() if args.watch_pid is None else args.watch_pid)
    announce_port(sock.getsockname()[1], args.port_file)
    if args.gunicorn:
        serve_gunicorn(app, sock, args.workers, args.threads)
    else:
        serve_werkzeug(app, sock, ssl_context)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
