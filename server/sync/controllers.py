"""HTTP API of the field app's sync (PROTOCOL.md)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from server.guards import CurrentActor
from server.params import MAX_ID
from server.sync import files, pull, push
from server.sync.schemas import FileKind, PullOut, PushBatch, PushOut


class SyncController(Controller):
    """Pull changes, push mutations, upload captured files."""

    path = "/api/v1/sync"
    tags = ["sync"]

    @get("/pull")
    async def pull_changes(
        self,
        actor: CurrentActor,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> PullOut:
        """The working set (no cursor) or what changed since `cursor`."""
        return msgspec.convert(await pull.pull(actor, cursor), PullOut, strict=False)

    @post("/push", status_code=200)
    async def push_mutations(self, actor: CurrentActor, data: JSONBody[PushBatch]) -> PushOut:
        """Apply mutations in order, each at most once; one result per mutation."""
        return msgspec.convert(await push.push(actor, data), PushOut, strict=False)

    @put("/files/{file_id:uuid}", status_code=201)
    async def upload_file(
        self,
        actor: CurrentActor,
        request: Request[Any, Any, Any],
        file_id: Annotated[uuid.UUID, PathParameter()],
        order_id: Annotated[int, QueryParameter(ge=1, le=MAX_ID)],
        kind: Annotated[FileKind, QueryParameter()] = FileKind.PHOTO,
        caption: Annotated[str, QueryParameter(max_length=500)] = "",
        signer: Annotated[str, QueryParameter(max_length=200)] = "",
    ) -> Response[dict[str, Any]]:
        """A photo (JPEG) or signature (PNG) as the raw body; the same id again is a no-op."""
        announced = request.headers.get("content-length", "")
        files.check_size(int(announced) if announced.isdigit() else 0)
        content = await request.body()
        answer, created = await files.upload(
            actor, file_id, order_id, kind, content, caption=caption, signer=signer
        )
        return Response(answer, status_code=201 if created else 200)
