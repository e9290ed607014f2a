"""The web app (web/, built by `make web` into web/dist), served by the gateway at `/`.

- `/assets/*`: the build's content-hashed files, cached for a year (`immutable`): a new build
  has new names, so a browser never runs a stale script;
- any other path outside `/api`: `index.html`, never cached, so a deploy is seen on the next
  load; the app's own router shows the screen (client-side routes such as `/schedule` or
  `/patients/…` fall back to the app);
- the build writes a gzip twin of every text file; it is sent to browsers that accept gzip.

Without a build (a checkout where `make web` has not run) `/` says how to build it; the API is
unaffected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from clinic_shared.errors import NotFound
from gateway.settings import GatewaySettings

SOURCE_BUILD = Path(__file__).resolve().parents[3] / "web" / "dist"
ASSET_CACHE = "public, max-age=31536000, immutable"
PAGE_CACHE = "no-cache"
NOT_BUILT = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Клиника</title></head>
<body><h1>Веб-приложение не собрано</h1><p>Выполните <code>make run</code> (или <code>make web</code>):
сборка займёт около минуты. API работает: <a href="/api/docs">/api/docs</a>.</p>
<p lang="en">The web app is not built: run <code>make run</code> (or <code>make web</code>).</p></body></html>"""
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}


def build_dir(settings: GatewaySettings) -> Path:
    return settings.web_dir if settings.web_dir is not None else SOURCE_BUILD


@dataclass(frozen=True)
class _Held:
    stamp: tuple[int, int]  # mtime (ns) and size when read
    body: bytes


# The build's files, held in memory once read: a page load asks for a dozen of them at once, and
# a file response's thread hops (stat, open, read, close) made each small script wait tens of ms on
# a busy machine. A file changed on disk (a new build in place) is read again.
_held: dict[Path, _Held] = {}
HELD_MAX_BYTES = 4 * 1024 * 1024


def _body(path: Path) -> bytes | None:
    """The file's bytes (from memory when unchanged), or None for a file too large to hold."""
    stat = path.stat()
    if stat.st_size > HELD_MAX_BYTES:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    held = _held.get(path)
    if held is None or held.stamp != stamp:
        held = _held[path] = _Held(stamp, path.read_bytes())
    return held.body


def _send(request: Request, path: Path, cache: str) -> Response:
    headers = {"Cache-Control": cache, "Vary": "Accept-Encoding"}
    media_type = TYPES.get(path.suffix)
    twin = path.with_name(path.name + ".gz")
    if twin.is_file() and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        path = twin
    body = _body(path)
    if body is None:
        return FileResponse(path, media_type=media_type, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _inside(root: Path, relative: str) -> Path | None:
    """The file `relative` names under `root`, or None (missing, a folder, or outside root)."""
    if not relative or "\x00" in relative:
        return None
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()) or not candidate.is_file() or candidate.suffix == ".gz":
        return None
    return candidate


def install(app: FastAPI, settings: GatewaySettings) -> None:
    """Add the web app's routes; call last, after every `/api` route."""
    root = build_dir(settings)
    router = APIRouter(include_in_schema=False)

    @router.api_route("/assets/{name:path}", methods=["GET", "HEAD"])
    async def asset(name: str, request: Request) -> Response:
        found = _inside(root / "assets", name)
        if found is None:
            raise NotFound("No such file of the web app.")
        return _send(request, found, ASSET_CACHE)

    @router.api_route("/{path:path}", methods=["GET", "HEAD"])
    async def page(path: str, request: Request) -> Response:
        if path == "api" or path.startswith("api/"):
            raise NotFound("No such API route.")
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503, headers={"Cache-Control": PAGE_CACHE})
        found = _inside(root, path)  # a file of the build's root (e.g. robots.txt)
        if found is not None and found.name != "index.html":
            return _send(request, found, "public, max-age=3600")
        return _send(request, index, PAGE_CACHE)

    app.include_router(router)
