"""Attaching a file from the order card (a multipart form)."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Response

from server.errors import DomainError, InvalidInput
from server.files import services
from server.files.controllers import form_id
from server.guards import CurrentActor
from server.orders.pages import order_card
from server.params import RecordId
from server.web.forms import errors_of


@post("/orders/{order_id:int}/attachments", include_in_schema=False)
async def attach_page(
    request: Request[Any, Any, Any], actor: CurrentActor, order_id: RecordId
) -> Response[Any]:
    """Upload a photo or PDF; errors are shown next to the file field."""
    form = await request.form()
    upload = form.get("file")
    caption = str(form.get("caption", ""))[:500]
    chosen = {k: str(form.get(k, ""))[:20] for k in ("act_kind", "act_visit")}
    try:
        act_kind = form_id(chosen["act_kind"], "act_kind")
        act_visit = form_id(chosen["act_visit"], "act_visit")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("Choose a file", field="file")
        content = await upload.read(services.MAX_BYTES + 1)
        await services.attach_to_order(
            actor,
            order_id,
            upload.filename,
            content,
            caption,
            act_kind=act_kind,
            act_visit=act_visit,
        )
    except DomainError as error:
        values = {"caption": caption, **chosen}
        status = 503 if error.status_code == 503 else 400  # 503: the file store is away
        return await order_card(
            actor, order_id, errors=errors_of(error), values=values, status_code=status
        )
    return Redirect(f"/orders/{order_id}")


handlers = [attach_page]
