"""The domain events rules can react to; domains emit them through `notify.api.emit`."""

from __future__ import annotations

from server.i18n import N_

ORDER_RECEIVED = "order.received"  # an order was taken in (the client's mail)
ORDER_STATUS = "order.status"  # an order entered a status (context: status code)
PARTS_ARRIVED = "order.parts_arrived"  # the parts a repair waited for came: it goes on
VISIT_PLANNED = "visit.planned"
VISIT_CHANGED = "visit.changed"
VISIT_EN_ROUTE = "visit.en_route"  # the master set off (context: arrival window)
SLA_WARNING = "sla.warning"  # a deadline is near (context: clock, due_at)
SLA_BREACH = "sla.breach"  # a deadline passed (context: clock, due_at)
SLA_ESCALATION = "sla.escalation"  # still late past the escalation share: the manager
ACT_MISSING = "act.missing"  # a visit ended without the acts its order type needs
REQUEST_RECEIVED = "request.received"  # a request came in (context: request, requester)
REQUEST_RETURNED = "request.returned"  # sent back for rework (context: request.reason)
REQUEST_COMPLETED = "request.completed"  # the requester completed a returned one: its manager
RATING_RECEIVED = "rating.received"  # a low rating (at or below the threshold): the manager
RATING_REQUEST = "rating.request"  # the client is asked to rate (context: rating.url)
BACKUP_FAILED = "backup.failed"  # the scheduled backup failed (context: backup.error)

EVENT_NAMES = {
    ORDER_RECEIVED: N_("Order received"),
    ORDER_STATUS: N_("Order entered a status"),
    PARTS_ARRIVED: N_("Parts arrived for a repair"),
    VISIT_PLANNED: N_("Visit planned"),
    VISIT_CHANGED: N_("Visit changed"),
    VISIT_EN_ROUTE: N_("Master on the way"),
    SLA_WARNING: N_("Deadline approaching"),
    SLA_BREACH: N_("Deadline missed"),
    SLA_ESCALATION: N_("Deadline missed: escalated"),
    ACT_MISSING: N_("Act missing"),
    REQUEST_RECEIVED: N_("Request received"),
    REQUEST_RETURNED: N_("Request returned"),
    REQUEST_COMPLETED: N_("Request completed by the requester"),
    RATING_RECEIVED: N_("Rating received"),
    RATING_REQUEST: N_("Client asked to rate the repair"),
    BACKUP_FAILED: N_("Backup failed"),
}
