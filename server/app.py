"""The FastAPI application factory: page, health check, static files, websocket, 404."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from server import __version__
from server.classroom.routes import add_class_routes
from server.logs import quiet_client_mistakes
from server.paths import STATIC_DIR, TEMPLATES_DIR
from server.security import SecurityHeaders
from server.settings import Settings
from server.ws import websocket_endpoint


class RevalidatedStaticFiles(StaticFiles):
    """Static files that the browser may cache but must revalidate (ETag), since ES modules
    are served unbundled and unhashed: a new release is picked up on the next load."""

    def file_response(self, *args, **kwargs) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["cache-control"] = "no-cache"
        return response


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; `settings` defaults to the ones the CLI put in the environment."""
    settings = settings or Settings.from_env()
    quiet_client_mistakes()
    app = FastAPI(title="Neural Playground", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    app.mount("/static", RevalidatedStaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request) -> Response:
        response = templates.TemplateResponse(request, "index.html", {"version": __version__})
        response.headers["cache-control"] = "no-cache"
        return response

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok", "version": __version__}

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code != 404:
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        if "text/html" in request.headers.get("accept", ""):
            return templates.TemplateResponse(
                request, "404.html", {"path": request.url.path}, status_code=404
            )
        return JSONResponse({"error": "not found", "path": request.url.path}, status_code=404)

    add_class_routes(app, templates)
    _add_websocket(app)
    app.add_middleware(SecurityHeaders, allow_hosts=settings.allow_hosts)
    return app


def _add_websocket(app: FastAPI) -> None:
    # an import error of the session layer stops the server at startup (the import at the
    # top), never a page that loads and cannot connect
    app.add_api_websocket_route("/ws", websocket_endpoint)
