"""Pages of notifications: the bell's list (open marks read), one's preferences and push;
for administrators the rules and the outbox."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from server.errors import DomainError
from server.guards import CurrentActor
from server.i18n import N_, gettext
from server.notify import compose, events, services
from server.notify.schemas import ChannelChoice, PreferencesIn, RuleIn
from server.orders import api as orders
from server.params import Cursor, RecordId
from server.staff import api as staff
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

CHANNEL_NAMES = {
    "inapp": N_("In the app"),
    "push": N_("Push"),
    "email": N_("Email"),
    "sms": N_("SMS"),
}
STATE_NAMES = {
    "queued": N_("in the queue"),
    "sending": N_("being sent"),
    "sent": N_("sent"),
    "failed": N_("not delivered"),
    "outbox": N_("waiting for a channel"),
    "retry": N_("will retry"),
    "delivered": N_("delivered"),
    "gone": N_("subscription gone"),
    "read": N_("read"),
}
RECIPIENT_NAMES = {
    "assignee": N_("Assignee"),
    "manager": N_("Manager"),
    "client": N_("Client"),
    "requester": N_("Requester"),
}


@get("/notifications", include_in_schema=False)
async def notifications_page(actor: CurrentActor, cursor: Cursor = None) -> Template:
    """One's notifications, newest first, with push on or off for this browser."""
    items, following = await services.notifications(actor, before=cursor)
    context = page_context(actor, items=items, next=following, unread=await services.unread(actor))
    return Template("notify/list.html", context=context)


@get("/notifications/{message_id:int}/open", include_in_schema=False)
async def open_notification(actor: CurrentActor, message_id: RecordId) -> Redirect:
    """Read and go where it points (a page of this server only)."""
    await services.mark_read(actor, [message_id])
    items, _ = await services.notifications(actor, before=message_id + 1, limit=1)
    link = items[0].link if items and items[0].id == message_id else ""
    return Redirect(
        link if link.startswith("/") and not link.startswith("//") else "/notifications"
    )


@post("/notifications/read", include_in_schema=False)
async def read_all(actor: CurrentActor) -> Redirect:
    await services.mark_read(actor, None)
    return Redirect("/notifications")


def _preference_rows(chosen: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {
            "event": code,
            "name": gettext(name),
            "custom": code in chosen,
            "channels": chosen.get(code, []),
        }
        for code, name in events.EVENT_NAMES.items()
    ]


@get("/notifications/settings", include_in_schema=False)
async def preferences_page(actor: CurrentActor) -> Template:
    found = await services.preferences(actor)
    context = page_context(
        actor,
        rows=_preference_rows({c.event: c.channels for c in found.events}),
        quiet_start=found.quiet_start or "",
        quiet_end=found.quiet_end or "",
        channels=CHANNEL_NAMES,
        errors={},
    )
    return Template("notify/preferences.html", context=context)


@post("/notifications/settings", include_in_schema=False)
async def preferences_save(
    request: Request[Any, Any, Any], actor: CurrentActor
) -> Template | Redirect:
    """Per event: «as the rules say», or the channels ticked; quiet hours."""
    form = await read_form(request)
    chosen: dict[str, list[str]] = {}
    for code in events.EVENT_NAMES:
        if form.get(f"custom_{code}"):
            value = form.get(f"channels_{code}", [])
            chosen[code] = value if isinstance(value, list) else [value]
    data = PreferencesIn(
        events=[ChannelChoice(code, channels) for code, channels in chosen.items()],
        quiet_start=str(form.get("quiet_start", "")).strip() or None,
        quiet_end=str(form.get("quiet_end", "")).strip() or None,
    )
    try:
        await services.set_preferences(actor, data)
    except DomainError as error:
        context = page_context(
            actor,
            rows=_preference_rows(chosen),
            quiet_start=data.quiet_start or "",
            quiet_end=data.quiet_end or "",
            channels=CHANNEL_NAMES,
            errors=errors_of(error),
        )
        return Template("notify/preferences.html", context=context, status_code=422)
    return Redirect("/notifications/settings?saved=1")


# administrators


@get("/settings/notifications", include_in_schema=False)
async def rules_page(actor: CurrentActor) -> Template:
    found = await services.rules(actor)
    roles = {f"role:{code}": name for code, name in (await staff.role_names()).items()}
    context = page_context(
        actor, rules=found, channels=CHANNEL_NAMES, recipients=RECIPIENT_NAMES | roles
    )
    return Template("notify/rules.html", context=context)


async def _rule_form(
    actor: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    rule_id: int | None,
    code: str | None = None,
    status: int = 200,
) -> Template:
    roles = await staff.role_names()
    context = page_context(
        actor,
        rule_id=rule_id,
        code=code,
        values=values,
        errors=errors,
        events=[(c, gettext(n)) for c, n in events.EVENT_NAMES.items()],
        channels=CHANNEL_NAMES,
        recipients=RECIPIENT_NAMES,
        roles=roles,
        statuses=await orders.statuses(),
        order_types=await orders.order_type_names(),
        variables={p: gettext(t) for p, t in compose.VARIABLES.items()},
        defaults={c: (gettext(s), gettext(b)) for c, (s, b) in compose.DEFAULT_TEXTS.items()},
    )
    return Template("notify/rule_form.html", context=context, status_code=status)


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _rule_in(form: dict[str, Any]) -> RuleIn:
    recipients = _as_list(form.get("recipients"))
    recipients += [f"role:{r}" for r in _as_list(form.get("roles"))]
    data = {
        "name": form.get("name", ""),
        "event": form.get("event", ""),
        "recipients": recipients,
        "channels": _as_list(form.get("channels")),
        "statuses": _as_list(form.get("statuses")),
        "order_type_ids": _as_list(form.get("order_type_ids")),
        "delay_minutes": form.get("delay_minutes") or 0,
        "repeat_minutes": form.get("repeat_minutes") or 0,
        "max_count": form.get("max_count") or 1,
        "subject": form.get("subject", ""),
        "body": form.get("body", ""),
        "enabled": bool(form.get("enabled")),
    }
    return convert(data, RuleIn)


def _form_values(rule: Any) -> dict[str, Any]:
    return {
        "name": rule.name,
        "event": rule.event,
        "channels": rule.channels,
        "recipients": [r for r in rule.recipients if not r.startswith("role:")],
        "roles": [r.split(":", 1)[1] for r in rule.recipients if r.startswith("role:")],
        "statuses": rule.statuses,
        "order_type_ids": [str(i) for i in rule.order_type_ids],
        "delay_minutes": rule.delay_minutes,
        "repeat_minutes": rule.repeat_minutes,
        "max_count": rule.max_count,
        "subject": rule.subject,
        "body": rule.body,
        "enabled": rule.enabled,
    }


@get("/settings/notifications/new", include_in_schema=False)
async def new_rule_page(actor: CurrentActor) -> Template:
    await services.rules(actor)
    values = {"enabled": True, "channels": ["inapp"], "recipients": ["assignee"], "max_count": 1}
    return await _rule_form(actor, values, {}, None)


@get("/settings/notifications/{rule_id:int}", include_in_schema=False)
async def rule_page(actor: CurrentActor, rule_id: RecordId) -> Template:
    found = await services.rule(actor, rule_id)
    return await _rule_form(actor, _form_values(found), {}, rule_id, found.code)


@post("/settings/notifications/new", include_in_schema=False)
async def create_rule(request: Request[Any, Any, Any], actor: CurrentActor) -> Template | Redirect:
    form = await read_form(request)
    try:
        await services.create_rule(actor, _rule_in(form))
    except (DomainError, FormError) as error:
        form["roles"], form["channels"] = (
            _as_list(form.get("roles")),
            _as_list(form.get("channels")),
        )
        form["recipients"] = _as_list(form.get("recipients"))
        return await _rule_form(actor, form, errors_of(error), None, status=422)
    return Redirect("/settings/notifications")


@post("/settings/notifications/{rule_id:int}", include_in_schema=False)
async def update_rule(
    request: Request[Any, Any, Any], actor: CurrentActor, rule_id: RecordId
) -> Template | Redirect:
    form = await read_form(request)
    try:
        await services.update_rule(actor, rule_id, _rule_in(form))
    except (DomainError, FormError) as error:
        for key in ("roles", "channels", "recipients", "statuses", "order_type_ids"):
            form[key] = _as_list(form.get(key))
        code = (await services.rule(actor, rule_id)).code
        return await _rule_form(actor, form, errors_of(error), rule_id, code, status=422)
    return Redirect("/settings/notifications")


@get("/settings/outbox", include_in_schema=False)
async def outbox_page(
    actor: CurrentActor,
    status: Annotated[str | None, QueryParameter(max_length=10)] = None,
    cursor: Cursor = None,
) -> Template:
    """Mail, push and SMS with their delivery log; what waits in the outbox."""
    shown = status if status in ("queued", "sending", "sent", "failed", "outbox") else None
    items, following = await services.messages(actor, status=shown, before=cursor)
    context = page_context(
        actor, items=items, next=following, status=shown or "", states=STATE_NAMES
    )
    return Template("notify/outbox.html", context=context)


@post("/settings/outbox/{message_id:int}/retry", include_in_schema=False)
async def retry_message(actor: CurrentActor, message_id: RecordId) -> Redirect:
    await services.retry(actor, message_id)
    return Redirect("/settings/outbox")


handlers = [
    notifications_page,
    open_notification,
    read_all,
    preferences_page,
    preferences_save,
    rules_page,
    new_rule_page,
    rule_page,
    create_rule,
    update_rule,
    outbox_page,
    retry_message,
]
