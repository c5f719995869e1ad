"""HTTP API of notifications: one's bell and preferences, Web Push subscriptions, and for
administrators the rules and the outbox."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import JSONBody, QueryParameter

from server.guards import CurrentActor
from server.i18n import gettext
from server.notify import compose, events, services, vapid
from server.notify.schemas import (
    MessagePage,
    NotificationPage,
    PreferencesIn,
    PreferencesOut,
    PushKeyOut,
    ReadIn,
    RuleIn,
    RuleOut,
    SubscriptionIn,
    SubscriptionOut,
    UnreadOut,
    UnsubscribeIn,
)
from server.params import Cursor, Flag, Limit, RecordId

MessageStatus = Annotated[
    str | None, QueryParameter(pattern="^(queued|sending|sent|failed|outbox)$")
]


class EventOut(msgspec.Struct):
    code: str
    name: str


class RuleHelp(msgspec.Struct):
    """What a rule may react to and name in its templates."""

    events: list[EventOut]
    variables: dict[str, str]
    channels: list[str]


class NotificationController(Controller):
    """One's notifications (the bell) and how one wants to be told."""

    path = "/api/v1/notifications"
    tags = ["notifications"]

    @get("/")
    async def list_notifications(
        self,
        actor: CurrentActor,
        cursor: Cursor = None,
        unread_only: Flag = False,
        limit: Limit = 50,
    ) -> NotificationPage:
        """Newest first; `next` is the cursor of the following page."""
        items, following = await services.notifications(
            actor, before=cursor, unread_only=unread_only, limit=limit
        )
        return NotificationPage(items, await services.unread(actor), following)

    @get("/unread")
    async def unread(self, actor: CurrentActor) -> UnreadOut:
        """The bell's count."""
        return UnreadOut(await services.unread(actor))

    @post("/read", status_code=200)
    async def mark_read(self, actor: CurrentActor, data: JSONBody[ReadIn]) -> UnreadOut:
        """Mark the given notifications read, or all of them without `ids`."""
        await services.mark_read(actor, data.ids)
        return UnreadOut(await services.unread(actor))

    @get("/preferences")
    async def get_preferences(self, actor: CurrentActor) -> PreferencesOut:
        return await services.preferences(actor)

    @put("/preferences")
    async def set_preferences(
        self, actor: CurrentActor, data: JSONBody[PreferencesIn]
    ) -> PreferencesOut:
        """Channels per event and quiet hours (no push, mail or SMS then)."""
        return await services.set_preferences(actor, data)


class PushController(Controller):
    """Web Push: the server's VAPID key and this employee's browsers."""

    path = "/api/v1/push"
    tags = ["notifications"]

    @get("/key")
    async def key(self) -> PushKeyOut:
        """The application server key for PushManager.subscribe()."""
        return PushKeyOut(await vapid.public_key())

    @get("/subscriptions")
    async def list_subscriptions(self, actor: CurrentActor) -> list[SubscriptionOut]:
        return await services.subscriptions(actor)

    @post("/subscriptions")
    async def subscribe(
        self, actor: CurrentActor, request: Request[Any, Any, Any], data: JSONBody[SubscriptionIn]
    ) -> SubscriptionOut:
        """Keep this browser's subscription (PushSubscription.toJSON())."""
        return await services.subscribe(actor, data, request.headers.get("user-agent", ""))

    @delete("/subscriptions", status_code=204)
    async def unsubscribe(self, actor: CurrentActor, data: JSONBody[UnsubscribeIn]) -> None:
        """Forget this browser's subscription."""
        await services.unsubscribe(actor, data.endpoint)


class NotifyRuleController(Controller):
    """Administrators: the rules and the messages that left (or wait in the outbox)."""

    path = "/api/v1/notify"
    tags = ["notifications"]

    @get("/help")
    async def rule_help(self, actor: CurrentActor) -> RuleHelp:
        await services.rules(actor)  # the same permission as reading the rules
        return RuleHelp(
            [EventOut(code, gettext(name)) for code, name in events.EVENT_NAMES.items()],
            {path: gettext(text) for path, text in compose.VARIABLES.items()},
            list(services.CHANNELS),
        )

    @get("/rules")
    async def list_rules(self, actor: CurrentActor) -> list[RuleOut]:
        return await services.rules(actor)

    @post("/rules")
    async def create_rule(self, actor: CurrentActor, data: JSONBody[RuleIn]) -> RuleOut:
        return await services.create_rule(actor, data)

    @get("/rules/{rule_id:int}")
    async def get_rule(self, actor: CurrentActor, rule_id: RecordId) -> RuleOut:
        return await services.rule(actor, rule_id)

    @put("/rules/{rule_id:int}")
    async def update_rule(
        self, actor: CurrentActor, rule_id: RecordId, data: JSONBody[RuleIn]
    ) -> RuleOut:
        return await services.update_rule(actor, rule_id, data)

    @delete("/rules/{rule_id:int}", status_code=204)
    async def delete_rule(self, actor: CurrentActor, rule_id: RecordId) -> None:
        await services.delete_rule(actor, rule_id)

    @get("/messages")
    async def list_messages(
        self,
        actor: CurrentActor,
        status: MessageStatus = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> MessagePage:
        """Mail, push and SMS newest first with their delivery log; `status=outbox`: what
        waits for a channel to be set up."""
        items, following = await services.messages(actor, status=status, before=cursor, limit=limit)
        return MessagePage(items, following)

    @post("/messages/{message_id:int}/retry", status_code=204)
    async def retry(self, actor: CurrentActor, message_id: RecordId) -> None:
        """Send a failed message again."""
        await services.retry(actor, message_id)


handlers = [NotificationController, PushController, NotifyRuleController]
