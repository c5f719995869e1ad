"""HTTP API of files: attach to an order, read back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import get, patch, post
from litestar.datastructures import UploadFile
from litestar.params import JSONBody, MultipartBody, PathParameter
from litestar.response import Stream

from server.errors import InvalidInput
from server.files import services
from server.files.serve import streamed
from server.guards import CurrentActor
from server.params import MAX_ID, RecordId

FileId = Annotated[str, PathParameter(max_length=36)]


@dataclass
class AttachmentUpload:
    """A multipart upload: the file and an optional caption."""

    file: UploadFile
    caption: str = ""
    act_kind: str = ""
    act_visit: str = ""


def form_id(value: str, field: str) -> int | None:
    """An optional record id of a form field ("" for none), or InvalidInput next to it."""
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 10 or not 1 <= int(value) <= MAX_ID:
        raise InvalidInput("Choose a value from the list", field=field)
    return int(value)


class FileActIn(msgspec.Struct, forbid_unknown_fields=True):
    """What act a stored file is (`act_kind` null: none), and for which visit."""

    act_kind: Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)] | None = None
    act_visit: Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)] | None = None


@post("/api/v1/orders/{order_id:int}/attachments", tags=["files"])
async def attach(
    actor: CurrentActor, order_id: RecordId, data: MultipartBody[AttachmentUpload]
) -> dict[str, Any]:
    """Attach a photo (JPEG/PNG/WebP) or a PDF to an order; it appears in the timeline.
    `act_kind` (an act kind's id) marks it as that act, for `act_visit` (a visit's id; by
    default the visit whose act is awaited)."""
    act_kind = form_id(data.act_kind, "act_kind")
    act_visit = form_id(data.act_visit, "act_visit")
    content = await data.file.read(services.MAX_BYTES + 1)
    return await services.attach_to_order(
        actor,
        order_id,
        data.file.filename,
        content,
        data.caption[:500],
        act_kind=act_kind,
        act_visit=act_visit,
    )


@patch("/api/v1/files/{file_id:str}", tags=["files"])
async def mark_act(
    actor: CurrentActor, file_id: FileId, data: JSONBody[FileActIn]
) -> dict[str, Any]:
    """Mark an attached file as an act (of a kind, for a visit), or as no act."""
    return await services.mark_act(actor, file_id, data.act_kind, data.act_visit)


@get("/api/v1/files/{file_id:str}", tags=["files"])
async def download(actor: CurrentActor, file_id: FileId) -> Stream:
    """A stored file, if its order is visible to the caller."""
    opened, content_type, name = await services.open_file(actor, file_id)
    return streamed(opened, name, content_type)


handlers = [attach, mark_act, download]
