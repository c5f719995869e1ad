"""A rule's message for one recipient: the subject and body templates (the print templates'
sandbox, plain text) filled in with what the recipient may read; an HTML mail around it."""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import Markup

from printforms.budget import Budget
from printforms.sandbox import TemplateRenderError, render_template
from printforms.validate import check_template
from server.i18n import N_, gettext
from server.notify import events

MESSAGE_BUDGET = Budget(
    max_text=20_000, max_items=1_000, max_loops=1_000, max_output=20_000, max_seconds=1.0
)
SMS_LENGTH = 480  # three parts of Cyrillic text
PUSH_BODY = 240

# The variables a rule's template may use (documented on the rule editor).
VARIABLES: dict[str, str] = {
    "order": N_("The order"),
    "order.number": N_("Order number"),
    "order.status": N_("Order status"),
    "order.type": N_("Order type"),
    "order.device": N_("Device"),
    "order.client": N_("Client's name"),
    "order.fault": N_("Declared fault"),
    "order.link": N_("Link to the order (employees)"),
    "order.status_url": N_("Link to the status page (the client)"),
    "order.code": N_("Code for the status page (the client)"),
    "visit": N_("The visit"),
    "visit.day": N_("Visit day"),
    "visit.window": N_("Arrival window"),
    "visit.master": N_("Master"),
    "sla": N_("The deadline"),
    "sla.clock": N_("Which deadline"),
    "sla.due": N_("Due at"),
    "sla.left": N_("Time left or overdue"),
    "act": N_("The act"),
    "act.name": N_("Act name"),
    "act.day": N_("Visit day the act is for"),
    "rating": N_("The rating"),
    "rating.score": N_("Score"),
    "rating.comment": N_("Client's comment"),
    "rating.url": N_("Link to rate the repair (the client)"),
    "request": N_("The request"),
    "request.number": N_("Request number"),
    "request.status": N_("Request status"),
    "request.reason": N_("Why it was returned"),
    "request.url": N_("Private link to the request (the requester)"),
    "backup": N_("The backup"),
    "backup.error": N_("Why the backup failed"),
    "backup.folder": N_("Backup folder"),
    "center": N_("The service center"),
    "center.name": N_("Center name"),
    "center.phone": N_("Center phone"),
    "recipient": N_("Who gets the message"),
    "recipient.name": N_("Recipient's name"),
}
ALLOWED = frozenset(VARIABLES)
# Of an event's context a template may name:
PARTS = ("visit", "sla", "act", "rating", "request", "backup")

# The wording of a rule whose subject and body are left empty, per event (translated).
DEFAULT_TEXTS: dict[str, tuple[str, str]] = {
    events.ORDER_RECEIVED: (
        N_("Order {{ order.number }} received"),
        N_(
            "Hello! We have taken in your {{ order.device or 'device' }} under order "
            "{{ order.number }}. Follow the repair: {{ order.status_url }} (code "
            "{{ order.code }}). {{ center.name }}, {{ center.phone }}"
        ),
    ),
    events.ORDER_STATUS: (
        N_("Order {{ order.number }}: {{ order.status }}"),
        N_(
            "Order {{ order.number }}{% if order.device %} ({{ order.device }}){% endif %} is now "
            "«{{ order.status }}». "
            "{{ order.link or order.status_url }}"
        ),
    ),
    events.PARTS_ARRIVED: (
        N_("Order {{ order.number }}: the parts have arrived"),
        N_(
            "The parts your {{ order.device or 'device' }} (order {{ order.number }}) waited for "
            "have arrived, and the repair goes on. {{ order.link or order.status_url }}"
        ),
    ),
    events.VISIT_PLANNED: (
        N_("Visit for order {{ order.number }} planned"),
        N_(
            "Visit on {{ visit.day }}, {{ visit.window }}: order {{ order.number }}, "
            "{{ visit.master }}. {{ order.link or order.status_url }}"
        ),
    ),
    events.VISIT_CHANGED: (
        N_("Visit for order {{ order.number }} changed"),
        N_(
            "The visit for order {{ order.number }} is now on {{ visit.day }}, "
            "{{ visit.window }}. {{ order.link or order.status_url }}"
        ),
    ),
    events.VISIT_EN_ROUTE: (
        N_("The master is on the way"),
        N_(
            "{{ visit.master or 'The master' }} is on the way to you for order "
            "{{ order.number }}; arrival {{ visit.window }}. {{ center.phone }}"
        ),
    ),
    events.SLA_WARNING: (
        N_("Order {{ order.number }}: deadline near"),
        N_(
            "{{ sla.clock }} of order {{ order.number }} is due {{ sla.due }} ({{ sla.left }} "
            "left). {{ order.link }}"
        ),
    ),
    events.SLA_BREACH: (
        N_("Order {{ order.number }}: deadline missed"),
        N_(
            "{{ sla.clock }} of order {{ order.number }} was due {{ sla.due }}, overdue "
            "{{ sla.left }}. {{ order.link }}"
        ),
    ),
    events.SLA_ESCALATION: (
        N_("Order {{ order.number }}: deadline missed, escalated"),
        N_(
            "{{ sla.clock }} of order {{ order.number }} was due {{ sla.due }} and is still "
            "open, overdue {{ sla.left }}. {{ order.link }}"
        ),
    ),
    events.ACT_MISSING: (
        N_("Attach the act for order {{ order.number }}"),
        N_(
            "The visit of {{ act.day }} for order {{ order.number }} needs «{{ act.name }}». "
            "Attach it to the order: {{ order.link }}"
        ),
    ),
    events.REQUEST_RECEIVED: (
        N_("Request {{ request.number }} received"),
        N_(
            "Hello! We have your request {{ request.number }} and will contact you soon. "
            "Follow it here: {{ request.url }} {{ center.name }}, {{ center.phone }}"
        ),
    ),
    events.REQUEST_COMPLETED: (
        N_("Request {{ request.number }} completed"),
        N_("The requester completed request {{ request.number }}, review it: {{ order.link }}"),
    ),
    events.REQUEST_RETURNED: (
        N_("Request {{ request.number }} needs your attention"),
        N_(
            "Request {{ request.number }} was returned for rework: {{ request.reason }} "
            "Please complete it here: {{ request.url }} {{ order.link }}"
        ),
    ),
    events.RATING_RECEIVED: (
        N_("Order {{ order.number }} rated {{ rating.score }}"),
        N_(
            "The client rated order {{ order.number }}: {{ rating.score }}. "
            "{{ rating.comment }} {{ order.link }}"
        ),
    ),
    events.RATING_REQUEST: (
        N_("How did we do with order {{ order.number }}?"),
        N_(
            "Hello! Your order {{ order.number }} is done. Please rate our work, it takes a "
            "minute: {{ rating.url }} {{ center.name }}, {{ center.phone }}"
        ),
    ),
    events.BACKUP_FAILED: (
        N_("The database backup failed"),
        N_(
            "The scheduled backup of the database was not made: {{ backup.error }} "
            "The older backups in {{ backup.folder }} are kept. Check the disk and the "
            "server's log, then run «servio backup --rotate»."
        ),
    ),
}


def problems(source: str) -> list[str]:
    """Why a template cannot be saved (empty when it can)."""
    return [
        gettext("Line {line}: {reason}", line=p.line, reason=p.reason)
        for p in check_template(source, ALLOWED)
    ]


def wording(event: str, subject: str, body: str, language: str) -> tuple[str, str]:
    """The rule's own templates, or the event's default wording in the language."""
    default_subject, default_body = DEFAULT_TEXTS.get(event, ("{{ order.number }}", ""))
    return (
        subject or gettext(default_subject, language),
        body or gettext(default_body, language),
    )


def fill(source: str, context: dict[str, Any]) -> str:
    """A template filled in as plain text; a template that fails says so instead of
    sending nothing (the rule's editor refused what it could)."""
    try:
        return render_template(source, context, MESSAGE_BUDGET, text=True).strip()
    except TemplateRenderError as error:
        return f"[{error}]"


def context_of(
    facts: dict[str, Any],
    event_context: dict[str, Any],
    center: dict[str, str],
    recipient: str,
    link: str,
    status_url: str,
) -> dict[str, Any]:
    """The template's variables: the order as the recipient may see it and the event's parts."""
    order = {
        "number": facts.get("number", ""),
        "status": facts.get("status", ""),
        "type": facts.get("order_type", ""),
        "device": facts.get("device", ""),
        "client": facts.get("client_name", ""),
        "fault": facts.get("declared_fault", ""),
        "link": link,
        "status_url": status_url,
        "code": facts.get("public_code", ""),
    }
    values: dict[str, Any] = {
        "order": order,
        "center": {"name": center.get("name", ""), "phone": center.get("phone", "")},
        "recipient": {"name": recipient},
    }
    for part in PARTS:
        given = event_context.get(part) or {}
        names = {p.split(".", 1)[1] for p in ALLOWED if p.startswith(part + ".")}
        values[part] = {name: str(given.get(name, "") or "") for name in names}
    return values


URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)»]")


def as_html(subject: str, body: str, center_name: str) -> str:
    """The mail's HTML part: the text in paragraphs, links clickable."""
    paragraphs = []
    for part in re.split(r"\n\s*\n", body.strip()):
        escaped = html.escape(part)
        linked = URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        paragraphs.append(f"<p>{linked.replace(chr(10), '<br>')}</p>")
    return str(
        Markup(
            '<!doctype html><html><head><meta charset="utf-8"><title>{subject}</title></head>'
            '<body style="font-family:sans-serif;font-size:15px;line-height:1.5;color:#1b1f24">'
            "{paragraphs}"
            '<p style="color:#6a737d;font-size:13px">{center}</p></body></html>'
        ).format(subject=subject, paragraphs=Markup("".join(paragraphs)), center=center_name)
    )


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
