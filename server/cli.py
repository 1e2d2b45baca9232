"""The `neural-playground` command line: serve the playground with uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from server.http import UVICORN_OPTIONS
from server.settings import ENV_KEY, Settings

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="neural-playground", description="Serve the Neural Playground in the browser."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes, one core each (default 1)"
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="log level (default info)",
    )
    parser.add_argument(
        "--max-sessions",
        type=int,
        default=Settings.max_sessions,
        help="live sessions per worker before new ones are refused "
        f"(default {Settings.max_sessions})",
    )
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="another origin (e.g. https://school.example) whose pages may open sessions; "
        "repeatable",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the server answers to (e.g. school.example, or .school.example for "
        "its subdomains too) besides loopback names and IP addresses; repeatable",
    )
    parser.add_argument(
        "--compress",
        action="store_true",
        help="compress frames (permessage-deflate): A frames shrink ~2.8x, but each costs the "
        "server CPU; use it when the network, not the server, is what limits a class",
    )
    parser.add_argument(
        "--no-group-training",
        action="store_true",
        help="train every session on its own (by default sessions of one shape train "
        "together, to the same numbers, for a fraction of the CPU)",
    )
    parser.add_argument(
        "--redis",
        metavar="URL",
        default=None,
        help="carry classes through Redis pub/sub (e.g. redis://10.0.0.5:6379/0), so a class "
        "spans several machines (docs/deployment.md); without it a class spans the workers "
        "of this machine",
    )
    parser.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-* headers from the reverse proxy in front",
    )
    return parser.parse_args(argv)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, names: list[str]) -> tuple[str, ...]:
    """The --allow-host names, and the --host name when it is one (not an address)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return (*names, host) if host not in names else tuple(names)
    return tuple(names)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.workers < 1 or args.max_sessions < 1:
        print("error: --workers and --max-sessions must be at least 1", file=sys.stderr)
        return 2
    if args.redis is not None and not args.redis.startswith(REDIS_SCHEMES):
        schemes = ", ".join(REDIS_SCHEMES)
        print(f"error: --redis {args.redis[:60]!r} is not a Redis URL ({schemes})", file=sys.stderr)
        return 2
    import uvicorn

    settings = Settings(
        max_sessions=args.max_sessions,
        allow_origins=tuple(args.allow_origin),
        allow_hosts=allowed_hosts(args.host, args.allow_host),
        group_training=not args.no_group_training,
        redis_url=args.redis,
    )
    os.environ[ENV_KEY] = settings.to_env()
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Neural Playground: open http://{shown}:{args.port}/ in a browser", flush=True)
    if not is_loopback(args.host):
        print(
            f"warning: listening on {args.host}, reachable from other machines on the network",
            flush=True,
        )
    options = {
        "app": "server.app:create_app",
        "factory": True,
        "log_level": args.log_level,
        "proxy_headers": args.proxy_headers,
        # Past the session limit a message gets an error; far past it uvicorn closes (1009).
        "ws_max_size": 4 * settings.max_message_bytes,
        "ws_per_message_deflate": args.compress,
        **UVICORN_OPTIONS,  # header size, count and time limits (server/http.py)
    }
    if args.workers > 1:  # the parent spreads connections evenly (server/workers.py)
        from server.workers import Balancer

        return Balancer(options, args.host, args.port, args.workers).run()
    uvicorn.run(host=args.host, port=args.port, **options)
    return 0
