"""Choice sets of the SLA domain: clocks, states and transitions, with labels and colours."""

from __future__ import annotations

from enum import StrEnum

from server.i18n import N_


class ClockKind(StrEnum):
    """What a clock measures, from the order's creation."""

    ACCEPT = "accept"  # until the order leaves the «new» group
    FIRST_VISIT = "first_visit"  # until a master is on site (field order types)
    RESOLUTION = "resolution"  # until the order is ready or closed


CLOCK_LABELS = {
    ClockKind.ACCEPT: N_("Time to accept"),
    ClockKind.FIRST_VISIT: N_("Time to the first visit"),
    ClockKind.RESOLUTION: N_("Time to resolution"),
}


class SlaState(StrEnum):
    """Where a clock stands; the order's state is the worst of its clocks'."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    PAUSED = "paused"
    MET = "met"


STATE_LABELS = {
    SlaState.ON_TRACK: N_("On track"),
    SlaState.AT_RISK: N_("At risk"),
    SlaState.BREACHED: N_("Breached"),
    SlaState.PAUSED: N_("Paused"),
    SlaState.MET: N_("Met"),
}
STATE_COLORS = {
    SlaState.ON_TRACK: "#43a047",
    SlaState.AT_RISK: "#fb8c00",
    SlaState.BREACHED: "#e53935",
    SlaState.PAUSED: "#757575",
    SlaState.MET: "#1e88e5",
}
# Worse first: an order shows the worst state of its clocks.
SEVERITY = {
    SlaState.BREACHED: 0,
    SlaState.AT_RISK: 1,
    SlaState.PAUSED: 2,
    SlaState.ON_TRACK: 3,
    SlaState.MET: 4,
}


class Transition(StrEnum):
    """What the sweep records once per clock and deadline."""

    WARNING = "warning"
    BREACH = "breach"
    ESCALATION = "escalation"


TRANSITION_LABELS = {
    Transition.WARNING: N_("SLA: deadline approaching"),
    Transition.BREACH: N_("SLA: deadline missed"),
    Transition.ESCALATION: N_("SLA: escalated to the manager"),
}
