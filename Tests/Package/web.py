"""The PHP binding under web SAPIs: each way of bindings/php/README.md ("Preloading"), served
by PHP's built-in server (php -S) and by PHP-FPM (spoken to in FastCGI, below), calls the library.

    python3 web.py --app DIR --library LIBCDS --version VERSION [--php php] [--fpm php-fpm8.2]

DIR is a Composer project that required cds/cds-core (vendor/) and holds page.php as index.php;
LIBCDS the packaged libcds.so.1. The ways, each served twice (the second request lists both
members of the file, so the database outlives the request):

    A  opcache.preload of src/preload.php, ffi.enable=preload
    B  ffi.preload of the header src/preload.php writes at deploy time, with opcache.preload
    C  no preloading: ffi.enable=true, FFI::cdef() at each request (CDS_LIBRARY in the workers)

and the two refusals the README warns of: ffi.preload alone (the request's FFI::scope() is
refused by ffi.enable=preload), and way A in a PHP-FPM started as root (opcache.preload_user,
which root needs, refuses FFI::load()). Started by root, the servers run as nobody, except the
root-started PHP-FPM of way B and of that refusal (its workers run as nobody).
"""

from __future__ import annotations

import argparse
import grp
import json
import os
import pwd
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = os.geteuid() == 0
HINT = "forbids FFI::cdef() outside the CLI"


class Failure(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failure(f"the server exited ({process.returncode}) before listening:\n{read(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise Failure(f"the server did not listen on {port} within 20 s:\n{read(log)}")


def read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else "(no log)"


# -- FastCGI (the FastCGI 1.0 specification: a responder request, one connection) ---------------

def fastcgi_get(port: int, script: str, query: str) -> tuple[int, bytes]:
    """One GET of `script` through PHP-FPM on 127.0.0.1:port; answers the status and the body."""

    def record(kind: int, content: bytes) -> bytes:
        return struct.pack("!BBHHBx", 1, kind, 1, len(content), 0) + content

    def length(n: int) -> bytes:
        return bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)

    params = {
        "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "REQUEST_METHOD": "GET",
        "SCRIPT_FILENAME": script, "SCRIPT_NAME": "/" + os.path.basename(script),
        "DOCUMENT_ROOT": os.path.dirname(script), "REQUEST_URI": "/" + os.path.basename(script) + "?" + query,
        "QUERY_STRING": query, "SERVER_NAME": "localhost", "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1",
    }
    pairs = b"".join(length(len(k)) + length(len(v)) + k + v
                     for k, v in ((k.encode(), v.encode()) for k, v in params.items()))
    begin = struct.pack("!HB5x", 1, 0)  # FCGI_RESPONDER, no FCGI_KEEP_CONN
    out = b""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(record(1, begin) + record(4, pairs) + record(4, b"") + record(5, b""))
        buffer = b""

        def take(n: int) -> bytes:
            nonlocal buffer
            while len(buffer) < n:
                chunk = s.recv(65536)
                if not chunk:
                    raise Failure("PHP-FPM closed the connection mid-record")
                buffer += chunk
            data, buffer = buffer[:n], buffer[n:]
            return data

        while True:
            _, kind, _, size, padding = struct.unpack("!BBHHBx", take(8))
            content = take(size)
            take(padding)
            if kind == 6:      # FCGI_STDOUT
                out += content
            elif kind == 3:    # FCGI_END_REQUEST
                break
    head, _, body = out.partition(b"\r\n\r\n")
    status = 200
    for line in head.decode("latin-1").split("\r\n"):
        if line.lower().startswith("status:"):
            status = int(line.split()[1])
    return status, body


def http_get(port: int, query: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.php?{query}", timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# -- the servers ---------------------------------------------------------------------------------

class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.app = Path(args.app).resolve()
        self.library = str(Path(args.library).resolve())
        self.version = args.version
        self.php, self.fpm = args.php, args.fpm
        self.work = self.app / "web"
        for sub in ("data", "run", "tmp"):
            (self.work / sub).mkdir(parents=True, exist_ok=True)
            os.chmod(self.work / sub, 0o1777)
        self.src = self.app / "vendor" / "cds" / "cds-core" / "bindings" / "php" / "src"
        self.preload = str(self.src / "preload.php")
        self.page = str(self.app / "index.php")
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": str(self.work / "tmp"),
                    "CDS_LIBRARY": self.library}
        user = pwd.getpwnam("nobody")
        self.user, self.group = user.pw_name, grp.getgrgid(user.pw_gid).gr_name
        # Way B's deploy step, from the CLI: write the header and print its path.
        done = subprocess.run([self.php, self.preload], env=self.env, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise Failure(f"php preload.php failed: {done.stderr}{done.stdout}")
        self.header = done.stdout.strip()
        if not self.header.endswith(".h") or f'#define FFI_LIB "{self.library}"' not in read(Path(self.header)):
            raise Failure(f"php preload.php printed {self.header!r}, not a header naming {self.library}")

    def ini(self, way: str, root_started: bool) -> dict[str, str]:
        if way == "A":
            ini = {"opcache.enable": "1", "opcache.preload": self.preload, "ffi.enable": "preload"}
        elif way == "B":
            ini = {"opcache.enable": "1", "opcache.preload": self.preload, "ffi.enable": "preload",
                   "ffi.preload": self.header}
        elif way == "C":
            ini = {"ffi.enable": "true"}
        elif way == "ffi.preload alone":
            ini = {"ffi.enable": "preload", "ffi.preload": self.header}
        else:
            raise ValueError(way)
        if root_started and "opcache.preload" in ini:
            ini["opcache.preload_user"] = self.user  # PHP refuses to preload as root without it
        return ini

    def unprivileged(self) -> list[str]:
        if not ROOT:
            return []
        return ["setpriv", f"--reuid={self.user}", f"--regid={self.group}", "--clear-groups", "--"]

    def start(self, sapi: str, way: str, root_started: bool, name: str) -> tuple[subprocess.Popen, int, Path]:
        port = free_port()
        log = self.work / "run" / f"{name}.log"
        defines = [arg for key, value in self.ini(way, root_started).items() for arg in ("-d", f"{key}={value}")]
        if sapi == "cli-server":
            command = [*self.unprivileged(), self.php, *defines, "-S", f"127.0.0.1:{port}", "-t", str(self.app)]
        else:
            config = self.work / "run" / f"{name}.conf"
            lines = ["[global]", f"error_log = {log}", f"pid = {self.work / 'run' / name}.pid", "daemonize = no",
                     "[cds]", f"listen = 127.0.0.1:{port}", "pm = static", "pm.max_children = 2",
                     "catch_workers_output = yes", "decorate_workers_output = no"]
            if way == "C":
                lines.append(f"env[CDS_LIBRARY] = {self.library}")  # clear_env: the workers see only this
            if root_started:
                lines += [f"user = {self.user}", f"group = {self.group}"]
            config.write_text("\n".join(lines) + "\n")
            os.chmod(config, 0o644)
            command = [*([] if root_started else self.unprivileged()), self.fpm, "--nodaemonize", "--fpm-config",
                       str(config), *(["--allow-to-run-as-root"] if root_started else []), *defines]
        output = open(log if sapi == "cli-server" else self.work / "run" / f"{name}.out", "ab")
        process = subprocess.Popen(command, env=self.env, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        output.close()
        return process, port, log

    def get(self, sapi: str, port: int, query: str) -> tuple[int, dict]:
        status, body = http_get(port, query) if sapi == "cli-server" else fastcgi_get(port, self.page, query)
        try:
            return status, json.loads(body)
        except ValueError:
            raise Failure(f"the page answered {status} and not JSON: {body[:2000]!r}") from None


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def served(ctx: Context, sapi: str, way: str, root_started: bool) -> str:
    name = f"{sapi}-{way}-{'root' if root_started else 'user'}".replace(" ", "_").replace(".", "")
    process, port, log = ctx.start(sapi, way, root_started, name)
    try:
        wait_for_port(port, process, log)
        database = str(ctx.work / "data" / f"{name}.sqlite")
        ids = []
        for round, who in enumerate(("Baha", "Ouzzine"), start=1):
            status, answer = ctx.get(sapi, port, f"db={database}&name={who}")
            if status != 200:
                raise Failure(f"request {round} answered {status}: {answer}\n{read(log)}")
            want = {"sapi": "fpm-fcgi" if sapi == "fpm" else "cli-server", "preloaded": way != "C", "version": ctx.version}
            got = {key: answer.get(key) for key in want}
            if got != want:
                raise Failure(f"request {round} answered {got}, not {want}")
            ids.append(answer["created"])
            if sorted(answer["listed"]) != sorted(ids):
                raise Failure(f"request {round} listed {answer['listed']}, not the members created: {ids}")
        return f"meta.version {ctx.version}, preloaded={way != 'C'}, 2 requests, members {', '.join(ids)}"
    finally:
        stop(process)


def refused_at_request(ctx: Context, sapi: str, way: str) -> str:
    name = f"{sapi}-refused"
    process, port, log = ctx.start(sapi, way, False, name)
    try:
        wait_for_port(port, process, log)
        status, answer = ctx.get(sapi, port, f"db={ctx.work / 'data' / name}.sqlite")
        if status != 500 or HINT not in answer.get("message", "") or 'restricted by "ffi.enable"' not in answer["message"]:
            raise Failure(f"answered {status} {answer}, not the library_load error saying ffi.enable {HINT}")
        return "refused as the README says: " + answer["message"].split(":")[0]
    finally:
        stop(process)


def refused_at_start(ctx: Context) -> str:
    process, port, log = ctx.start("fpm", "A", True, "fpm-A-root-refused")
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        stop(process)
        raise Failure("a root-started PHP-FPM preloaded way A (it should refuse FFI::load with opcache.preload_user)")
    text = read(log) + read(ctx.work / "run" / "fpm-A-root-refused.out")
    if process.returncode == 0 or 'FFI::load() doesn\'t work in conjunction with "opcache.preload_user"' not in text:
        raise Failure(f"exit {process.returncode}, without the opcache.preload_user refusal:\n{text}")
    return "PHP-FPM does not start: FFI::load() is refused with opcache.preload_user"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", required=True)
    parser.add_argument("--library", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--php", default="php")
    parser.add_argument("--fpm", default="php-fpm8.2")
    args = parser.parse_args()
    ctx = Context(args)
    who = f"as {ctx.user}" if ROOT else "as this user"
    cases = []
    for sapi in ("cli-server", "fpm"):
        label = "php -S" if sapi == "cli-server" else "PHP-FPM"
        for way in ("A", "B", "C"):
            cases.append((f"{label}, way {way}, {who}", lambda s=sapi, w=way: served(ctx, s, w, False)))
        cases.append((f"{label}, ffi.preload alone, {who}", lambda s=sapi: refused_at_request(ctx, s, "ffi.preload alone")))
    if ROOT:
        cases.append(("PHP-FPM started as root, way B (workers as nobody)", lambda: served(ctx, "fpm", "B", True)))
        cases.append(("PHP-FPM started as root, way A", lambda: refused_at_start(ctx)))
    failed = 0
    for title, case in cases:
        try:
            print(f"ok   {title}: {case()}", flush=True)
        except Failure as error:
            failed += 1
            print(f"FAIL {title}: {error}", flush=True)
    print(f"PHP web SAPIs: {len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
