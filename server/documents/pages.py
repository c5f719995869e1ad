"""Pages of the documents domain: print templates and center details in settings, downloads."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

import printforms
from server.actor import Actor
from server.documents.center import CenterService
from server.documents.controllers import base_url, preview_response
from server.documents.downloads import DownloadService
from server.documents.print_templates import TemplateRefused, TemplateService
from server.documents.render import preview_html
from server.documents.schemas import CenterIn, TemplateCreate, TemplatePatch
from server.errors import DomainError, InvalidInput
from server.guards import CurrentActor
from server.i18n import N_, gettext
from server.orders.services import OrderFilters, OrderService
from server.params import RecordId
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, errors_of, lines, read_form
from server.web.templating import page_context

KIND_LABELS = {
    "receipt": "Intake receipt",
    "handover-act": "Handover act",
    "work-act": "Work completion act",
    "invoice": "Invoice",
    "label": "Device label",
}


def template_errors(error: DomainError | FormError) -> dict[str, Any]:
    """Errors next to the fields; a refused source lists every line and reason."""
    errors: dict[str, Any] = dict(errors_of(error))
    if isinstance(error, TemplateRefused):
        errors["problems"] = error.problems
    return errors


@get("/downloads", include_in_schema=False)
async def downloads_page(actor: CurrentActor) -> Template:
    """Files prepared for the employee (big exports)."""
    items = await DownloadService(actor).list_downloads()
    return Template("documents/downloads.html", context=page_context(actor, items=items))


async def _center_page(
    actor: Actor, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
    status_code: int = 200, notice: str = "",
) -> Template:  # fmt: skip
    context = page_context(
        actor,
        values=values if values is not None else await CenterService(actor).get(),
        errors=errors or {},
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
        notice=notice,
    )
    return Template("documents/center.html", context=context, status_code=status_code)


@get("/settings/center", include_in_schema=False)
async def center_page(
    actor: CurrentActor, done: Annotated[str, QueryParameter(max_length=10)] = ""
) -> Template:
    """The service center's details printed on documents."""
    return await _center_page(actor, notice=gettext("Saved") if done else "")


@post("/settings/center", include_in_schema=False)
async def center_save(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Save the center's details."""
    actor.require(Section.SETTINGS, Action.EDIT)
    form = await read_form(request)
    values = {k: str(form.get(k, "")).strip() for k in CenterIn.__struct_fields__}
    data = {**values, "vat_rate": values["vat_rate"].replace(",", ".") or None}
    try:
        await CenterService(actor).update(convert(data, CenterIn))
    except (DomainError, FormError) as error:
        return await _center_page(actor, values, errors_of(error), 400)
    return Redirect("/settings/center?done=1")


@get("/settings/print-templates", include_in_schema=False)
async def templates_page(actor: CurrentActor) -> Template:
    """Stored print templates by kind, and a form for a new one."""
    items = await TemplateService(actor).list_templates()
    return Template(
        "documents/templates.html",
        context=page_context(
            actor, items=items, kinds=KIND_LABELS, errors={}, values={},
            can_edit=actor.can(Section.SETTINGS, Action.EDIT),
        ),
    )  # fmt: skip


@post("/settings/print-templates", include_in_schema=False)
async def template_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """A new template, starting as a copy of the built-in one."""
    form = await read_form(request)
    values = {"kind": str(form.get("kind", "")), "name": str(form.get("name", ""))}
    try:
        created = await TemplateService(actor).create_template(convert(values, TemplateCreate))
    except (DomainError, FormError) as error:
        items = await TemplateService(actor).list_templates()
        context = page_context(
            actor, items=items, kinds=KIND_LABELS, errors=errors_of(error), values=values,
            can_edit=True,
        )  # fmt: skip
        return Template("documents/templates.html", context=context, status_code=400)
    return Redirect(f"/settings/print-templates/{created.id}")


async def _editor(
    actor: Actor, template_id: int, values: dict[str, Any] | None = None,
    errors: dict[str, Any] | None = None, status_code: int = 200, notice: str = "",
) -> Template:  # fmt: skip
    template = await TemplateService(actor).get_template(template_id)
    shown = values or {
        **msgspec.structs.asdict(template),
        "order_types": "\n".join(template.order_types),
        "manufacturers": "\n".join(template.manufacturers),
    }
    context = page_context(
        actor,
        template=template,
        values=shown,
        errors=errors or {},
        notice=notice,
        kind_label=KIND_LABELS[template.kind],
        variables=printforms.variable_catalogue(),
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
    )
    return Template("documents/template_edit.html", context=context, status_code=status_code)


@get("/settings/print-templates/{template_id:int}", include_in_schema=False)
async def template_page(
    actor: CurrentActor,
    template_id: RecordId,
    done: Annotated[str, QueryParameter(max_length=10)] = "",
) -> Template:
    """Edit a template: its HTML+CSS, where it applies, the variables, a preview."""
    notices = {"saved": N_("Saved"), "restored": N_("The built-in template is back")}
    return await _editor(actor, template_id, notice=notices.get(done, ""))


@post("/settings/print-templates/{template_id:int}", include_in_schema=False)
async def template_save(
    request: Request[Any, Any, Any], actor: CurrentActor, template_id: RecordId
) -> Response[Any]:
    """Save a template; a source with problems is refused with the line and the reason."""
    form = await read_form(request)
    order_types = str(form.get("order_types", ""))
    manufacturers = str(form.get("manufacturers", ""))
    values = {
        "name": str(form.get("name", "")),
        "source": str(form.get("source", "")).replace("\r\n", "\n"),
        "order_types": order_types,
        "manufacturers": manufacturers,
        "is_default": form.get("is_default") == "on",
    }
    data = {**values, "order_types": lines(order_types), "manufacturers": lines(manufacturers)}
    try:
        await TemplateService(actor).update_template(template_id, convert(data, TemplatePatch))
    except (DomainError, FormError) as error:
        return await _editor(actor, template_id, values, template_errors(error), 400)
    return Redirect(f"/settings/print-templates/{template_id}?done=saved")


@post("/settings/print-templates/{template_id:int}/restore", include_in_schema=False)
async def template_restore(actor: CurrentActor, template_id: RecordId) -> Redirect:
    """Put the built-in source back."""
    await TemplateService(actor).restore_builtin(template_id)
    return Redirect(f"/settings/print-templates/{template_id}?done=restored")


@post("/settings/print-templates/{template_id:int}/delete", include_in_schema=False)
async def template_delete(actor: CurrentActor, template_id: RecordId) -> Redirect:
    """Remove a template."""
    await TemplateService(actor).delete_template(template_id)
    return Redirect("/settings/print-templates")


async def _preview_order(actor: Actor, number: str) -> int:
    """The id of the order with this number, or of the newest order."""
    number = number.strip()[:30]
    items, _next = await OrderService(actor).list_orders(OrderFilters(q=number), limit=20)
    found = [o for o in items if o.number == number] if number else items[:1]
    if not found:
        raise InvalidInput("No order with number «{number}»", field="order", number=number)
    return found[0].id


@post(
    "/settings/print-templates/{template_id:int}/preview", include_in_schema=False, status_code=200
)
async def template_preview(
    request: Request[Any, Any, Any], actor: CurrentActor, template_id: RecordId
) -> Response[Any]:
    """The typed (unsaved) source filled in with a real order, in a new tab."""
    form = await read_form(request)
    template = await TemplateService(actor).get_template(template_id)
    source = str(form.get("source", template.source)).replace("\r\n", "\n")
    try:
        order_id = await _preview_order(actor, str(form.get("order", "")))
        html = await preview_html(actor, template.kind, source, order_id, base_url(request))
    except (DomainError, FormError) as error:
        values = {**msgspec.structs.asdict(template), **{k: form.get(k, "") for k in form}}
        values["is_default"] = form.get("is_default") == "on"
        return await _editor(actor, template_id, values, template_errors(error), 400)
    return preview_response(html)


handlers = [
    downloads_page,
    center_page,
    center_save,
    templates_page,
    template_create,
    template_page,
    template_save,
    template_restore,
    template_delete,
    template_preview,
]
