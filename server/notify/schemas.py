"""JSON in and out of the notify API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

Channel = Annotated[str, msgspec.Meta(max_length=10)]
ShortText = Annotated[str, msgspec.Meta(max_length=200)]


class NotificationOut(msgspec.Struct):
    """One notification in the bell's list."""

    id: int
    at: dt.datetime
    event: str
    subject: str
    body: str
    link: str
    read: bool


class NotificationPage(msgspec.Struct):
    items: list[NotificationOut]
    unread: int
    next: int | None


class UnreadOut(msgspec.Struct):
    unread: int


class ReadIn(msgspec.Struct, forbid_unknown_fields=True):
    """Mark these read (none: all of one's notifications)."""

    ids: (
        Annotated[
            list[Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]], msgspec.Meta(max_length=500)
        ]
        | None
    ) = None


class PushKeyOut(msgspec.Struct):
    public_key: str


class SubscriptionKeys(msgspec.Struct):
    p256dh: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    auth: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class SubscriptionIn(msgspec.Struct):
    """A browser's PushSubscription.toJSON() (expirationTime is ignored)."""

    endpoint: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    keys: SubscriptionKeys
    expiration_time: int | float | None = msgspec.field(default=None, name="expirationTime")


class UnsubscribeIn(msgspec.Struct, forbid_unknown_fields=True):
    endpoint: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class SubscriptionOut(msgspec.Struct):
    id: int
    endpoint: str
    user_agent: str
    created_at: dt.datetime


class RuleIn(msgspec.Struct, forbid_unknown_fields=True):
    """A rule as an administrator writes it."""

    name: Annotated[str, msgspec.Meta(max_length=200)]
    event: Annotated[str, msgspec.Meta(max_length=40)]
    recipients: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(max_length=20)
    ]
    channels: Annotated[list[Channel], msgspec.Meta(max_length=4)]
    statuses: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=50)]], msgspec.Meta(max_length=50)
    ] = []
    order_type_ids: Annotated[
        list[Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]], msgspec.Meta(max_length=50)
    ] = []
    delay_minutes: Annotated[int, msgspec.Meta(ge=0, le=525_600)] = 0
    repeat_minutes: Annotated[int, msgspec.Meta(ge=0, le=525_600)] = 0
    max_count: Annotated[int, msgspec.Meta(ge=1, le=100)] = 1
    subject: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    body: Annotated[str, msgspec.Meta(max_length=10_000)] = ""
    enabled: bool = True


class RuleOut(msgspec.Struct):
    id: int
    code: str | None
    name: str
    event: str
    event_name: str
    recipients: list[str]
    channels: list[str]
    statuses: list[str]
    order_type_ids: list[int]
    delay_minutes: int
    repeat_minutes: int
    max_count: int
    subject: str
    body: str
    enabled: bool
    updated_at: dt.datetime


class ChannelChoice(msgspec.Struct, forbid_unknown_fields=True):
    event: Annotated[str, msgspec.Meta(max_length=40)]
    channels: Annotated[list[Channel], msgspec.Meta(max_length=4)]


class PreferencesIn(msgspec.Struct, forbid_unknown_fields=True):
    """One's own: channels per event (an event left out keeps the rules' channels) and quiet
    hours ("HH:MM", both or neither)."""

    events: Annotated[list[ChannelChoice], msgspec.Meta(max_length=20)] = []
    quiet_start: Annotated[str, msgspec.Meta(max_length=5)] | None = None
    quiet_end: Annotated[str, msgspec.Meta(max_length=5)] | None = None


class PreferencesOut(msgspec.Struct):
    events: list[ChannelChoice]
    quiet_start: str | None
    quiet_end: str | None


class LogOut(msgspec.Struct):
    at: dt.datetime
    state: str
    detail: str


class MessageOut(msgspec.Struct):
    """A message as administrators see it in the outbox and the delivery log."""

    id: int
    created_at: dt.datetime
    channel: str
    recipient: str
    subject: str
    status: str
    attempts: int
    last_error: str
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    log: list[LogOut]


class MessagePage(msgspec.Struct):
    items: list[MessageOut]
    next: int | None
