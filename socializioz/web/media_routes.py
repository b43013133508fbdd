"""``GET /media/{token}``: the bytes of one uploaded file, for the platforms that fetch it (Instagram,
TikTok and Facebook pull media from a URL) and for the composer's thumbnails and previews.

The token is the only key: 256 random bits per asset, so the URL is the capability and no listing
exists (``/media/`` alone matches no route). The Content-Type is the one sniffed at upload, never
the uploader's claim, and ``nosniff`` stops a browser from guessing another. Files of the embedded
store are served with ``FileResponse``, which answers ``Range`` requests (video players and
platforms seek).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import Route

from socializioz import routes
from socializioz.db import run_db, session_scope
from socializioz.models import MediaAsset
from socializioz.services import media_store
from socializioz.services.errors import NotFound

_HEADERS = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}


def media_routes() -> list[Route]:
    return [Route(routes.MEDIA_PREFIX + "{token}", serve_media, methods=["GET", "HEAD"])]


def _find(token: str) -> MediaAsset | None:
    with session_scope() as db:
        return media_store.asset_by_token(db, token)


async def serve_media(request: Request) -> Response:
    asset = await run_db(_find, request.path_params["token"])
    if asset is None:
        return _not_found()
    store = media_store.default_store()
    path = store.local_path(asset.storage_key)
    if path is not None:
        return FileResponse(path, media_type=asset.mime_type, headers=_HEADERS)
    try:
        source = store.open(asset.storage_key)  # a store without local files
    except NotFound:
        return _not_found()
    return StreamingResponse(media_store.iter_bytes(source), media_type=asset.mime_type, headers=_HEADERS)


def _not_found() -> Response:
    return Response(status_code=404, headers={"Cache-Control": "no-store"})
