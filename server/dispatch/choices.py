"""Choice sets of the dispatch domain: visit statuses with their labels and colours."""

from enum import StrEnum

from server.i18n import N_


class VisitStatus(StrEnum):
    """Where a visit stands."""

    PLANNED = "planned"
    EN_ROUTE = "en_route"
    ON_SITE = "on_site"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


STATUS_LABELS: dict[str, str] = {
    VisitStatus.PLANNED: N_("Planned"),
    VisitStatus.EN_ROUTE: N_("En route"),
    VisitStatus.ON_SITE: N_("On site"),
    VisitStatus.DONE: N_("Done"),
    VisitStatus.FAILED: N_("Failed"),
    VisitStatus.CANCELLED: N_("Cancelled"),
}

STATUS_COLORS: dict[str, str] = {
    VisitStatus.PLANNED: "#00acc1",
    VisitStatus.EN_ROUTE: "#1e88e5",
    VisitStatus.ON_SITE: "#3949ab",
    VisitStatus.DONE: "#43a047",
    VisitStatus.FAILED: "#e53935",
    VisitStatus.CANCELLED: "#9e9e9e",
}

FINAL = frozenset({VisitStatus.DONE, VisitStatus.FAILED, VisitStatus.CANCELLED})
