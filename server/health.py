"""GET /health: is the server up and can it reach its database."""

from __future__ import annotations

import asyncio

from litestar import Response, get
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from piccolo.querystring import QueryString

from server.piccolo_conf import DB


@get("/health", opt={"public": True}, tags=["system"], cache_control=None)
async def health() -> Response[dict[str, str]]:
    """200 with {"status": "ok", "database": "ok"}; 503 when the database does not answer."""
    try:
        await asyncio.wait_for(DB.run_querystring(QueryString("SELECT 1")), timeout=3)
    except Exception:  # any failure to reach the database means "down"
        return Response(
            {"status": "error", "database": "unavailable"}, status_code=HTTP_503_SERVICE_UNAVAILABLE
        )
    return Response({"status": "ok", "database": "ok"}, status_code=HTTP_200_OK)
