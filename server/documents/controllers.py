"""HTTP API of documents: an order's print forms, print templates, center details."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.response import Response

import printforms
from server.documents.center import CenterService
from server.documents.export_controllers import controllers as export_controllers
from server.documents.print_templates import TemplateService
from server.documents.render import preview_html, render_document
from server.documents.schemas import (
    CenterIn,
    PreviewIn,
    TemplateCreate,
    TemplateOut,
    TemplatePatch,
)
from server.guards import CurrentActor
from server.params import MAX_ID, RecordId

Kind = Annotated[str, PathParameter(max_length=30, description="receipt, handover-act, ...")]
Format = Annotated[str, QueryParameter(max_length=10, description="pdf, docx or xlsx")]
TemplateId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="Template id")]
# The preview is a whole document with its own <style>: no scripts, framed by our pages only.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'self' data:; "
    "frame-ancestors 'self'"
)


def base_url(request: Request[Any, Any, Any]) -> str:
    """Scheme, host and root path of this server, as the caller reached it."""
    return str(request.base_url).rstrip("/")


def content_disposition(name: str, inline: bool = False) -> str:
    """`attachment; filename=...` with an ASCII fallback and the UTF-8 name."""
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def preview_response(html: str) -> Response[str]:
    """A filled-in template as a page that may run no script."""
    return Response(
        html,
        media_type=printforms.MEDIA_TYPES["html"],
        headers={"Content-Security-Policy": PREVIEW_POLICY},
    )


class DocumentController(Controller):
    """Print forms of an order."""

    path = "/api/v1/orders/{order_id:int}/documents"
    tags = ["documents"]

    @get("/{kind:str}")
    async def order_document(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        order_id: RecordId,
        kind: Kind,
        format: Format = "pdf",
        template: TemplateId = None,
    ) -> Response[bytes]:
        """A receipt, act, invoice or label of the order as PDF, DOCX or XLSX."""
        document = await render_document(actor, order_id, kind, format, template, base_url(request))
        return Response(
            document.content,
            media_type=document.media_type,
            headers={
                "Content-Disposition": content_disposition(
                    document.file_name, inline=format == "pdf"
                )
            },
        )


class PrintTemplateController(Controller):
    """Print templates: several per kind, chosen by order type and brand."""

    path = "/api/v1/print-templates"
    tags = ["documents"]

    @get("/")
    async def list_templates(
        self,
        actor: CurrentActor,
        kind: Annotated[str, QueryParameter(max_length=30)] = "",
    ) -> dict[str, list[TemplateOut]]:
        """Stored templates, optionally of one kind."""
        return {"items": await TemplateService(actor).list_templates(kind or None)}

    @get("/variables", opt={"cache": False})
    async def variables(self, actor: CurrentActor) -> dict[str, Any]:
        """Every variable a template may use, with its description and an example."""
        await TemplateService(actor).list_templates("receipt")
        return {
            "items": list(printforms.variable_catalogue()),
            "kinds": list(printforms.DOCUMENT_KINDS),
            "formats": printforms.FORMATS,
        }

    @post("/")
    async def create_template(
        self, actor: CurrentActor, data: JSONBody[TemplateCreate]
    ) -> TemplateOut:
        """A new template; without `source` a copy of the built-in one."""
        return await TemplateService(actor).create_template(data)

    @post("/preview", status_code=200)
    async def preview(
        self, request: Request[Any, Any, Any], actor: CurrentActor, data: JSONBody[PreviewIn]
    ) -> Response[str]:
        """A template source filled in with a real order, as HTML."""
        html = await preview_html(actor, data.kind, data.source, data.order_id, base_url(request))
        return preview_response(html)

    @get("/{template_id:int}")
    async def get_template(self, actor: CurrentActor, template_id: RecordId) -> TemplateOut:
        """One template."""
        return await TemplateService(actor).get_template(template_id)

    @patch("/{template_id:int}")
    async def update_template(
        self, actor: CurrentActor, template_id: RecordId, data: JSONBody[TemplatePatch]
    ) -> TemplateOut:
        """Change a template; a source with a problem is refused with its line and reason."""
        return await TemplateService(actor).update_template(template_id, data)

    @delete("/{template_id:int}", status_code=204)
    async def delete_template(self, actor: CurrentActor, template_id: RecordId) -> None:
        """Remove a template."""
        await TemplateService(actor).delete_template(template_id)

    @post("/{template_id:int}/restore", status_code=200)
    async def restore(self, actor: CurrentActor, template_id: RecordId) -> TemplateOut:
        """Put the built-in source of the template's kind back."""
        return await TemplateService(actor).restore_builtin(template_id)


class CenterController(Controller):
    """The service center's details printed on documents."""

    path = "/api/v1/center"
    tags = ["documents"]

    @get("/")
    async def get_center(self, actor: CurrentActor) -> dict[str, Any]:
        """The printed details."""
        return await CenterService(actor).get()

    @patch("/")
    async def update_center(self, actor: CurrentActor, data: JSONBody[CenterIn]) -> dict[str, Any]:
        """Replace the printed details."""
        return await CenterService(actor).update(data)


controllers = [DocumentController, PrintTemplateController, CenterController, *export_controllers]
