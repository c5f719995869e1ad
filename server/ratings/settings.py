"""The ratings settings: one row, read with its defaults; the channels live on the shipped
notify rule that carries the link, so the rule editor and this page never disagree."""

from __future__ import annotations

import datetime as dt

from server.actor import Actor
from server.audit import services as audit
from server.errors import InvalidInput
from server.notify import api as notify
from server.notify import sms
from server.orders import api as orders
from server.ratings.choices import CHANNELS, REQUEST_RULE
from server.ratings.schemas import RatingSettingsIn, RatingSettingsOut
from server.ratings.tables import RatingSettings
from server.staff.permissions import Action, Section

CLOSED = "closed"


async def stored() -> dict[str, object]:
    """The settings row (made with the defaults by the first read)."""
    await RatingSettings.raw(
        "INSERT INTO rating_settings (id, statuses, link_days, low_threshold, aspects, updated_at)"
        " VALUES (1, ARRAY[]::varchar[], 30, 3, false, now()) ON CONFLICT (id) DO NOTHING"
    )
    row = await RatingSettings.select().where(RatingSettings.id == 1).first()
    assert row is not None
    return row


async def trigger_codes(statuses: list[str]) -> list[str]:
    """The status codes that send the invitation: the chosen ones, or every closed status."""
    if statuses:
        return list(statuses)
    return [s["code"] for s in await orders.statuses() if s["group"] == CLOSED]


async def current() -> RatingSettingsOut:
    """The settings as they apply now."""
    row = await stored()
    statuses = list(row["statuses"])  # type: ignore[call-overload]
    channels = await notify.rule_channels(REQUEST_RULE)
    return RatingSettingsOut(
        statuses=statuses,
        trigger_statuses=await trigger_codes(statuses),
        channels=["email"] if channels is None else [c for c in channels if c in CHANNELS],
        link_days=int(row["link_days"]),  # type: ignore[call-overload]
        low_threshold=int(row["low_threshold"]),  # type: ignore[call-overload]
        aspects=bool(row["aspects"]),
        sms_configured=sms.configured(),
    )


async def read(actor: Actor) -> RatingSettingsOut:
    """The settings, for those who may see the settings."""
    actor.require(Section.SETTINGS, Action.VIEW)
    return await current()


async def save(actor: Actor, data: RatingSettingsIn) -> RatingSettingsOut:
    """Change the settings (settings:edit); unknown statuses and channels are refused."""
    actor.require(Section.SETTINGS, Action.EDIT)
    known = {s["code"] for s in await orders.statuses()}
    unknown = [s for s in data.statuses if s not in known]
    if unknown:
        raise InvalidInput("Unknown status «{name}»", field="statuses", name=unknown[0][:50])
    channels = list(dict.fromkeys(data.channels))
    if not channels:
        raise InvalidInput("Choose at least one channel", field="channels")
    if any(c not in CHANNELS for c in channels):
        raise InvalidInput("Choose channels from the list", field="channels")
    before = await current()
    async with RatingSettings._meta.db.transaction():
        await stored()
        await RatingSettings.update(
            {
                RatingSettings.statuses: list(dict.fromkeys(data.statuses)),
                RatingSettings.link_days: data.link_days,
                RatingSettings.low_threshold: data.low_threshold,
                RatingSettings.aspects: data.aspects,
                RatingSettings.updated_at: dt.datetime.now(dt.UTC),
            }
        ).where(RatingSettings.id == 1)
        await notify.set_rule_channels(REQUEST_RULE, channels)
        after = await current()
        changes = {
            name: [getattr(before, name), getattr(after, name)]
            for name in ("statuses", "channels", "link_days", "low_threshold", "aspects")
            if getattr(before, name) != getattr(after, name)
        }
        if changes:
            await audit.record(actor, "rating_settings", 1, "update", changes)
    return after
