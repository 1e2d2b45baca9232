"""Check deploy/nginx.conf for real: two backends behind nginx, pages and websockets through it.

Installs Debian's nginx-light when nginx is missing (root), fills the config's ports, and
checks: the page and its security headers through the proxy; websocket sessions that play
and stream frames, spread over both backends; a foreign Origin refused; and failover (a
backend killed: new sessions go to the other one).

    python bench/proxy.py
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT
from load import free_port, start_server
from websockets.sync.client import connect

from server.frames import unpack_header


def ensure_nginx() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    print("installing Debian's nginx-light", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "nginx-light"],
        check=True,
        env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    return "/usr/sbin/nginx"


def start_nginx(nginx: str, workdir: Path, port: int, backends: list[int]) -> subprocess.Popen:
    (workdir / "temp").mkdir()
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for key, value in {
        "__PID_FILE__": str(workdir / "nginx.pid"),
        "__ERROR_LOG__": str(workdir / "error.log"),
        "__TEMP__": str(workdir / "temp"),
        "__LISTEN__": f"127.0.0.1:{port}",
        "__BACKEND_1__": f"127.0.0.1:{backends[0]}",
        "__BACKEND_2__": f"127.0.0.1:{backends[1]}",
    }.items():
        text = text.replace(key, value)
    config = workdir / "nginx.conf"
    config.write_text(text)
    proc = subprocess.Popen([nginx, "-c", str(config), "-g", "daemon off;"])
    time.sleep(0.5)
    return proc


def play_through(url: str, origin: str) -> tuple[int, int]:
    """Open a session through the proxy, play, and return (frames seen, last epoch)."""
    with connect(url, origin=origin, open_timeout=10) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "hello"
        ws.send(json.dumps({"type": "play"}))
        frames, epoch, end = 0, 0, time.monotonic() + 1.0
        while time.monotonic() < end:
            message = ws.recv(timeout=5)
            if isinstance(message, bytes):
                header = unpack_header(message)
                ws.send(json.dumps({"type": "ack", "frame": header["frame_id"]}))
                frames, epoch = frames + 1, header["epoch"]
        return frames, epoch


def check(label: str, ok: bool, detail: str = "") -> bool:
    print(f"{'ok  ' if ok else 'FAIL'} {label}{': ' + detail if detail else ''}", flush=True)
    return ok


def main() -> int:
    nginx = ensure_nginx()
    backends = [free_port(), free_port()]
    servers = [start_server(port, workers=1, max_sessions=20) for port in backends]
    proxy_port = free_port()
    base, origin = f"http://127.0.0.1:{proxy_port}", f"http://127.0.0.1:{proxy_port}"
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        proxy = start_nginx(nginx, Path(tmp), proxy_port, backends)
        try:
            with urllib.request.urlopen(base + "/") as response:
                csp = response.headers.get("content-security-policy", "")
                results.append(
                    check(
                        "page through the proxy",
                        response.status == 200 and f"ws://127.0.0.1:{proxy_port}" in csp,
                        csp[:60],
                    )
                )
            ws_url = base.replace("http", "ws") + "/ws"
            runs = [play_through(ws_url, origin) for _ in range(4)]
            results.append(
                check(
                    "4 sessions play through the proxy",
                    all(f > 10 and e > 10 for f, e in runs),
                    str(runs),
                )
            )
            try:
                with connect(ws_url, origin="http://evil.example") as ws:
                    refused = json.loads(ws.recv(timeout=5))["code"] == "origin_refused"
            except Exception:
                refused = True
            results.append(check("a foreign Origin is refused through the proxy", refused))
            servers[0].send_signal(signal.SIGKILL)
            servers[0].wait()
            runs = [play_through(ws_url, origin) for _ in range(3)]
            results.append(
                check(
                    "after a backend dies, new sessions still play",
                    all(f > 10 for f, _ in runs),
                    str(runs),
                )
            )
        finally:
            proxy.send_signal(signal.SIGQUIT)
            proxy.wait(timeout=10)
            for server in servers:
                if server.poll() is None:
                    server.send_signal(signal.SIGINT)
                    server.wait(timeout=30)
    print("nginx config: " + ("all checks passed" if all(results) else "SOME CHECKS FAILED"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
