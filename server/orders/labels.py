"""Names people read for the codes of orders, their timeline and settings: English message
ids (translated when shown) for status groups, timeline events, changed fields, custom field
kinds and entities, transition rules and queues. `label(code, kind)` is the one lookup;
an unknown code is shown as it is (a custom field's own code, say)."""

from __future__ import annotations

from server.i18n import N_, gettext

# A status group's name (the chips of the orders list, the workflow settings).
STATUS_GROUP_LABELS = {
    "new": N_("New orders"),
    "in_work": N_("In work"),
    "waiting": N_("Waiting"),
    "ready": N_("Ready orders"),
    "closed": N_("Closed orders"),
    "cancelled": N_("Cancelled orders"),
}
# A timeline event's kind, as the order card and the field app show it.
EVENT_LABELS = {
    "create": N_("created"),
    "update": N_("changed"),
    "status": N_("status change"),
    "line_add": N_("line added"),
    "line_delete": N_("line deleted"),
    "payment": N_("payment"),
    "refund": N_("refund"),
    "comment": N_("comment"),
    "call": N_("call"),
    "task": N_("task"),
    "attachment": N_("attachment"),
    "visit_create": N_("visit planned"),
    "visit_update": N_("visit changed"),
    "visit_status": N_("visit status"),
    "rating": N_("customer rating"),
    "responsible": N_("responsible"),
    "sla_warning": N_("SLA: the deadline is near"),
    "sla_breach": N_("SLA: the deadline is missed"),
    "sla_escalation": N_("SLA: handed to the manager"),
    "sync_conflict": N_("sync conflict"),
}
# A field of an order or visit named in a change or a sync conflict.
FIELD_LABELS = {
    "accessories": N_("Accessories"),
    "appearance": N_("Appearance"),
    "client": N_("Client"),
    "custom": N_("Extra fields"),
    "declared_fault": N_("Fault"),
    "device": N_("Device"),
    "due_at": N_("Due"),
    "estimated_cost": N_("Estimate"),
    "file": N_("File"),
    "line": N_("Line"),
    "locked_note": N_("Device password"),
    "manager": N_("Manager"),
    "number": N_("Number"),
    "paid": N_("Payment"),
    "priority": N_("Priority"),
    "status": N_("Status"),
    "technician": N_("Technician"),
    "visit": N_("Visit"),
    "visit_status": N_("Visit status"),
    "visit_comment": N_("Visit note"),
    "fail_reason": N_("Why it failed"),
    "master": N_("Master"),
    "visit_day": N_("Preferred visit day"),
    "visit_from": N_("Preferred time from"),
    "visit_to": N_("Preferred time to"),
    "expert": N_("Technical expert"),
    "expert_id": N_("Technical expert"),
    "service_center": N_("Service center"),
    "service_center_id": N_("Service center"),
    "sla_clock": N_("Deadline"),
    "sla_due": N_("Expires"),
}
# The type of a custom field.
FIELD_KIND_LABELS = {
    "text": N_("text"),
    "number": N_("number"),
    "date": N_("date"),
    "choice": N_("choice"),
    "checkbox": N_("checkbox"),
}
# What a custom field belongs to.
ENTITY_LABELS = {
    "order": N_("orders"),
    "client": N_("clients"),
    "request": N_("requests"),
}
# A check made when an order enters a status.
RULE_LABELS = {
    "needs_work_line": N_("needs a work line"),
    "needs_zero_due": N_("needs full payment"),
    "needs_technician": N_("needs a technician"),
    "consumes_parts": N_("writes reserved parts off the stock"),
}
# A queue an assignment rule names, where it is one of ours.
QUEUE_LABELS = {
    "director": N_("director"),
}

LABELS = {
    "group": STATUS_GROUP_LABELS,
    "event": EVENT_LABELS,
    "field": FIELD_LABELS,
    "kind": FIELD_KIND_LABELS,
    "entity": ENTITY_LABELS,
    "rule": RULE_LABELS,
    "queue": QUEUE_LABELS,
}


def label(code: str | None, kind: str) -> str:
    """The translated name of `code` among the `kind` labels ("group", "event", "field", "kind",
    "entity", "rule", "queue"); an unknown code as it is."""
    if not code:
        return ""
    message = LABELS[kind].get(code)
    return gettext(message) if message else code
