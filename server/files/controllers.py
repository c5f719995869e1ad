"""HTTP API of files: attach to an order, read back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from litestar import get, post
from litestar.datastructures import UploadFile
from litestar.params import MultipartBody, PathParameter
from litestar.response import File

from server.files import services
from server.guards import CurrentActor
from server.params import RecordId

FileId = Annotated[str, PathParameter(max_length=36)]


@dataclass
class AttachmentUpload:
    """A multipart upload: the file and an optional caption."""

    file: UploadFile
    caption: str = ""


@post("/api/v1/orders/{order_id:int}/attachments", tags=["files"])
async def attach(
    actor: CurrentActor, order_id: RecordId, data: MultipartBody[AttachmentUpload]
) -> dict[str, Any]:
    """Attach a photo (JPEG/PNG/WebP) or a PDF to an order; it appears in the timeline."""
    content = await data.file.read(services.MAX_BYTES + 1)
    return await services.attach_to_order(
        actor, order_id, data.file.filename, content, data.caption[:500]
    )


def content_disposition(kind: str, name: str) -> str:
    """`inline` or `attachment` with an ASCII fallback name and the UTF-8 one (RFC 6266)."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%' else "_" for ch in name)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@get("/api/v1/files/{file_id:str}", tags=["files"])
async def download(actor: CurrentActor, file_id: FileId) -> File:
    """A stored file, if its order is visible to the caller."""
    path, content_type, name = await services.open_file(actor, file_id)
    return File(
        path=path,
        filename=name,
        media_type=content_type,
        headers={"content-disposition": content_disposition("inline", name)},
    )


handlers = [attach, download]
