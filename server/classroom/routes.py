"""A class's HTTP routes and websocket: start a class, the join link, the QR code, and the
teacher's dashboard connection (/ws/class)."""

from __future__ import annotations

import asyncio
import logging

import segno
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.websockets import WebSocket, WebSocketDisconnect

from server import protocol, workers
from server.classroom import commands
from server.classroom.hub import Hub, LocalTransport
from server.classroom.store import is_teacher, new_code, new_record, new_secret, normalized_code
from server.classroom.teacher import Dashboard, serve
from server.protocol import ProtocolError
from server.views import hello_message

log = logging.getLogger("neural_playground.classroom")
TEACH_WAIT_S = 10.0  # a dashboard sends its code and secret first, at once


async def hub_for(state) -> Hub:
    """The process's hub: Redis with --redis, else the parent's relay with --workers N,
    else this process alone."""
    if not hasattr(state, "hub"):
        settings = state.settings
        if settings.redis_url:
            from server.classroom.redis_hub import RedisTransport

            transport = RedisTransport(settings.redis_url)
        elif (line := workers.hub_line()) is not None:
            from server.classroom.relay import ParentTransport

            transport = ParentTransport(line)
        else:
            transport = LocalTransport()
        state.hub = Hub(transport)
    return await state.hub.ready()


async def start_class(hub: Hub) -> tuple[str, str]:
    """A new class: (code, secret). A code in use is drawn again."""
    for _ in range(100):
        code, secret = new_code(), new_secret()
        if await hub.call("create", code, new_record(code, secret)):
            return code, secret
    raise RuntimeError("no free class code")


def join_url(request: Request, code: str) -> str:
    return str(request.base_url).rstrip("/") + f"/class/{code}"


def qr_svg(url: str, scalable: bool = False) -> str:
    """The join link as an SVG QR code (segno; no text of the link in the SVG): 5 px a module,
    or `scalable` (a viewBox, no size) to fill the box the page gives it, quiet zone and all."""
    code = segno.make(url, error="m")
    if scalable:
        return code.svg_inline(svgclass="qr", lineclass=None, omitsize=True)
    return code.svg_inline(scale=5, svgclass="qr", lineclass=None)


def add_class_routes(app: FastAPI, templates: Jinja2Templates) -> None:
    @app.post("/class/new")
    async def new_class(request: Request) -> Response:
        try:
            code, secret = await start_class(await hub_for(request.app.state))
        except Exception:  # Redis unreachable: say so, the playground itself goes on
            log.exception("could not start a class")
            return JSONResponse({"error": "the class service is unreachable"}, status_code=503)
        log.info("class %s started", code)
        return JSONResponse(
            {
                "code": code,
                "secret": secret,
                "join_url": join_url(request, code),
                "dashboard_path": f"/class/{code}/dashboard#key={secret}",
            },  # fmt: skip
            headers={"cache-control": "no-store"},
        )

    @app.get("/class/new")
    async def new_class_page(request: Request) -> Response:
        """Opened by hand: a new class, and its dashboard (the secret in the fragment)."""
        code, secret = await start_class(await hub_for(request.app.state))
        log.info("class %s started", code)
        target = f"/class/{code}/dashboard#key={secret}"
        return RedirectResponse(target, status_code=303, headers={"cache-control": "no-store"})

    @app.get("/class/{code}/dashboard", response_class=HTMLResponse)
    async def dashboard_page(request: Request, code: str) -> Response:
        normalized = normalized_code(code)
        if normalized is None:
            raise StarletteHTTPException(404)
        url = join_url(request, normalized)
        context = {
            "code": normalized,
            "join_url": url,
            "qr_svg": Markup(qr_svg(url, scalable=True)),
        }
        response = templates.TemplateResponse(request, "dashboard.html", context)
        response.headers["cache-control"] = "no-store"
        return response

    @app.get("/class/{code}")
    async def join_link(code: str) -> Response:
        normalized = normalized_code(code)
        target = f"/?class={normalized}" if normalized else "/"
        return RedirectResponse(target, status_code=303)

    @app.get("/class/{code}/qr.svg")
    async def qr(request: Request, code: str) -> Response:
        normalized = normalized_code(code)
        if normalized is None:
            return JSONResponse({"error": "not a class code"}, status_code=404)
        return Response(qr_svg(join_url(request, normalized)), media_type="image/svg+xml")

    app.add_api_websocket_route("/ws/class", dashboard_endpoint)


async def dashboard_endpoint(websocket: WebSocket) -> None:
    from server.ws import guard  # the same host and origin checks as a student's /ws

    if not await guard(websocket):
        return
    settings = websocket.app.state.settings
    await websocket.accept()
    hub = await hub_for(websocket.app.state)
    try:
        record = await _teacher_record(websocket, hub, settings.max_message_bytes)
        if record is None:
            return
        log.info("dashboard of class %s open", record["code"])
        # the registries, as a student's page gets them: the spotlight draws with them
        await websocket.send_text(protocol.encode(hello_message(settings)))
        await serve(websocket, Dashboard(hub, record), settings.max_message_bytes)
    except (TimeoutError, WebSocketDisconnect, ConnectionError):
        pass


async def _teacher_record(websocket: WebSocket, hub: Hub, max_bytes: int) -> dict | None:
    """The class's record if the first message is `teach` with its secret; else refuse."""
    text = await asyncio.wait_for(websocket.receive_text(), TEACH_WAIT_S)
    try:
        command = commands.parse(text, max_bytes)
        if command.type != protocol.TEACH:
            raise ProtocolError(
                protocol.NOT_TEACHER, "type", "teach: send the class's secret first"
            )
        code = normalized_code(command.fields["code"])
        record = await hub.call("get", code) if code else None
        if record is None:
            raise ProtocolError(
                protocol.NO_CLASS, "code", "code: there is no such class (it ended)"
            )
        if not is_teacher(record, command.fields["secret"]):
            raise ProtocolError(
                protocol.NOT_TEACHER,
                "secret",
                "secret: only the teacher's dashboard link can teach",
            )
        return record
    except ProtocolError as exc:
        await websocket.send_text(protocol.encode(protocol.error_message(exc)))
        await websocket.close(code=1008, reason=exc.code)
        return None
