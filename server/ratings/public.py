"""The client's side: the form behind a link, and the rating it records (once).

A link that is used, expired or never existed gives one neutral answer: the caller learns
only that this link does not work (nothing about an order, nor whether it ever existed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from server import clock
from server.errors import InvalidInput
from server.i18n import gettext
from server.notify import api as notify
from server.notify import events
from server.orders import api as orders
from server.ratings import settings
from server.ratings.choices import ASPECT_LABELS, SCORES, TIMELINE_KIND, Aspect
from server.ratings.invite import token_hash
from server.ratings.schemas import COMMENT_LENGTH, RateIn
from server.ratings.tables import Rating, RatingInvite

TOKEN_LENGTH = 100  # longer than any token we make; longer paths are simply unknown


class RateForm(msgspec.Struct, frozen=True):
    """What the form behind a working link shows."""

    order_number: str
    aspects: list[tuple[str, str]]  # (code, label) when asked


def _usable(token: str) -> bool:
    return 0 < len(token) <= TOKEN_LENGTH


async def _open_invite(token: str) -> dict[str, Any] | None:
    if not _usable(token):
        return None
    return await (
        RatingInvite.select(RatingInvite.id, RatingInvite.order)
        .where(
            RatingInvite.token_hash == token_hash(token),
            RatingInvite.used_at.is_null(),
            RatingInvite.expires_at > dt.datetime.now(dt.UTC),
        )
        .first()
    )


async def form(token: str) -> RateForm | None:
    """The form of a working link, or None (used, expired or unknown: the neutral page)."""
    invite = await _open_invite(token)
    if invite is None:
        return None
    found = await orders.rated_orders([invite["order"]])
    order = found.get(invite["order"])
    if order is None:
        return None
    current = await settings.current()
    aspects = [(a.value, gettext(ASPECT_LABELS[a])) for a in Aspect] if current.aspects else []
    return RateForm(order_number=order.number, aspects=aspects)


def _score(value: Any, field: str) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or len(text) > 1 or int(text) not in SCORES:
        raise InvalidInput("Choose a score from 1 to 5", field=field)
    return int(text)


def parse(data: dict[str, Any], with_aspects: bool) -> RateIn:
    """A posted rating (form fields or JSON), checked field by field."""
    if not isinstance(data, dict):
        raise InvalidInput("Send the score and the comment", field="score")
    score = _score(data.get("score"), "score")
    comment = data.get("comment", "")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise InvalidInput("The comment is text", field="comment")
    if len(comment) > COMMENT_LENGTH:
        raise InvalidInput(
            "The comment is longer than {n} characters", field="comment", n=COMMENT_LENGTH
        )
    aspects: dict[str, int] = {}
    posted = data.get("aspects")
    given: dict[str, Any] = posted if isinstance(posted, dict) else {}
    for aspect in Aspect if with_aspects else ():
        value = given.get(aspect.value, data.get(f"aspect_{aspect.value}"))
        if value not in (None, ""):
            aspects[aspect.value] = _score(value, f"aspect_{aspect.value}")
    return RateIn(score=score, comment=comment.strip(), aspects=aspects)


def _stars(score: int) -> str:
    return "★" * score + "☆" * (5 - score)


async def submit(token: str, data: dict[str, Any]) -> bool:
    """Record the rating of a working link (True), or nothing for a used, expired or unknown
    one (False). The input is checked first, so a wrong score never spends the link."""
    current = await settings.current()
    rating = parse(data, current.aspects)
    if not _usable(token):
        return False
    now = dt.datetime.now(dt.UTC)
    async with RatingInvite._meta.db.transaction():
        spent = await RatingInvite.raw(
            "UPDATE rating_invite SET used_at = {} WHERE token_hash = {} AND used_at IS NULL"
            ' AND expires_at > {} RETURNING "order"',
            now,
            token_hash(token),
            now,
        )
        if not spent:
            return False
        order_id = int(spent[0]["order"])
        order = (await orders.rated_orders([order_id])).get(order_id)
        if order is None:
            return False
        made = await Rating.raw(
            'INSERT INTO rating ("order", score, comment, aspects, technician, service_center,'
            " month, created_at) VALUES ({}, {}, {}, {}::jsonb, {}, {}, {}, {})"
            ' ON CONFLICT ("order") DO NOTHING RETURNING id',
            order_id,
            rating.score,
            rating.comment,
            msgspec.json.encode(rating.aspects).decode(),
            order.technician_id,
            order.service_center_id,
            now.astimezone(clock.zone()).strftime("%Y-%m"),
            now,
        )
        if not made:
            return False
        text = gettext(
            "Client's rating: {stars} {score} of 5", stars=_stars(rating.score), score=rating.score
        )
        if rating.aspects:
            text += ". " + ", ".join(
                f"{gettext(ASPECT_LABELS[Aspect(k)])}: {v}" for k, v in rating.aspects.items()
            )
        if rating.comment:
            text += f". «{rating.comment}»"
        await orders.write_system_note(order_id, TIMELINE_KIND, text, {})
        if rating.score <= current.low_threshold:
            await notify.emit(
                events.RATING_RECEIVED,
                key=f"order:{order_id}:rating:low",
                order_id=order_id,
                context={"rating": {"score": rating.score, "comment": rating.comment}},
            )
    return True
