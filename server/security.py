"""Security headers on every HTTP response and the websocket Origin check."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A Host header: a DNS name or an IP address (IPv6 in brackets), and an optional port.
_HOST = re.compile(
    r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?",
    re.ASCII,
)


def allowed_host(host: str | None, allow_hosts: Iterable[str]) -> str | None:
    """The Host header when it names this server, else None.

    A page can only be reached by a name someone chose: loopback names, an IP address
    (what a classroom types), or a name given with --allow-host (a leading dot allows its
    subdomains too). Any other name may be a DNS-rebinding page pointing its own name at
    this server, so it gets neither a page nor a session.
    """
    match = _HOST.fullmatch(host or "")
    if match is None:
        return None
    name = match["name"].lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost") or _is_address(name):
        return host
    for allowed in allow_hosts:
        allowed = allowed.lower().rstrip(".")
        if name == allowed or (allowed.startswith(".") and name.endswith(allowed)):
            return host
    return None


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def content_security_policy(host: str) -> str:
    """Only the page's own origin and its websocket; no inline script, no external request.
    `host` must come from allowed_host (it is written into the policy as it is)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            f"connect-src 'self' ws://{host} wss://{host}",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


class SecurityHeaders:
    """ASGI middleware adding CSP, nosniff and a referrer policy to every HTTP response,
    and answering 400 to a request whose Host is not this server's (see allowed_host)."""

    def __init__(self, app: ASGIApp, allow_hosts: Iterable[str] = ()) -> None:
        self.app, self.allow_hosts = app, tuple(allow_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = allowed_host(_header(scope, b"host"), self.allow_hosts)
        if host is None:
            await _refuse_host(scope, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", content_security_policy(host).encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"SAMEORIGIN"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def refused_host_text(scope: Scope) -> str:
    host = (_header(scope, b"host") or "")[:80]
    return (
        f"this server does not answer to the name {host!r}; if that is its address, start "
        "it with --allow-host NAME"
    )


async def _refuse_host(scope: Scope, send: Send) -> None:
    body = (refused_host_text(scope) + "\n").encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"x-content-type-options", b"nosniff"),
    ]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def host_allowed(scope: Scope, allow_hosts: Iterable[str]) -> bool:
    return allowed_host(_header(scope, b"host"), allow_hosts) is not None


def origin_allowed(scope: Scope, allow_origins: Iterable[str], allow_hosts: Iterable[str]) -> bool:
    """True when the websocket's Origin is the page's own origin or explicitly allowed.

    The page's own origin is its Host's, and only a Host that names this server (see
    allowed_host) counts. A missing Origin (non-browser clients such as scripts and the
    load benchmark) is allowed: the check exists to stop other web pages from driving a
    session, and browsers always send it.
    """
    origin = _header(scope, b"origin")
    if origin is None:
        return True
    if origin in set(allow_origins):
        return True
    host = allowed_host(_header(scope, b"host"), allow_hosts)
    return host is not None and origin in (f"http://{host}", f"https://{host}")
