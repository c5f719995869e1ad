"""The aspects a client may rate besides the overall score, with their labels."""

from __future__ import annotations

from enum import StrEnum

from server.i18n import N_


class Aspect(StrEnum):
    """What a client may rate separately (when the settings ask for it)."""

    SPEED = "speed"
    QUALITY = "quality"
    POLITENESS = "politeness"


ASPECT_LABELS: dict[Aspect, str] = {
    Aspect.SPEED: N_("Speed"),
    Aspect.QUALITY: N_("Quality"),
    Aspect.POLITENESS: N_("Politeness"),
}
SCORES = (1, 2, 3, 4, 5)
CHANNEL_LABELS = {"email": N_("Email"), "sms": N_("SMS")}
CHANNELS = tuple(CHANNEL_LABELS)
REQUEST_RULE = "client_rating_request"  # the shipped notify rule that carries the link
TIMELINE_KIND = "rating"
