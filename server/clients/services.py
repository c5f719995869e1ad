"""Clients: creating, changing, reading and listing them, with field access; their discount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.query import OrderByRaw

from server import clock
from server import cursor as cursor_codec
from server.actor import Actor
from server.audit import services as audit
from server.clients import api, contacts, jobs, scope
from server.clients import validation as check
from server.clients.choices import ClientKind
from server.clients.records import now
from server.clients.schemas import ClientCreate, ClientPatch
from server.clients.tables import Client
from server.errors import InvalidInput
from server.fieldaccess import check_writable, hidden_fields, visible
from server.orders import api as orders
from server.phones import search_digits
from server.search import matches, matches_parts, search_text
from server.staff.permissions import Action, Section

FIELDS = (
    "kind", "name", "legal_name", "inn", "kpp", "ogrn", "legal_address", "bank_name", "bik",
    "bank_account", "corr_account", "tags", "source", "comment", "discount_percent", "custom",
)  # fmt: skip
CONTACTS = ("phones", "emails", "addresses")
SORTS = {
    "name": ("lower(client.name)", True),
    "-name": ("lower(client.name)", False),
    "created_at": ("client.created_at", True),
    "-created_at": ("client.created_at", False),
}


async def effective_discount(client_id: int) -> tuple[Decimal, str]:
    """The client's discount: the bigger of the personal one and the best loyalty rule.

    Returns (percent, reason in Russian); (0, "") when there is none.
    """
    return await api.discount_for(client_id, await orders.completed_stats(client_id))


class ClientFilters(msgspec.Struct):
    """Filters of the clients list (all optional)."""

    q: str = ""
    kind: str = ""
    tag: str = ""
    source: str = ""
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    custom: dict[str, str] = {}
    archived: bool = False
    sort: str = "name"


def _search_words(values: dict[str, Any], phones: list[str], emails: list[str]) -> str:
    custom = values.get("custom") or {}
    return search_text(
        values["name"],
        values.get("legal_name", ""),
        values.get("inn", ""),
        values.get("ogrn", ""),
        emails,
        values.get("tags") or [],
        values.get("source", ""),
        [v for v in custom.values() if not isinstance(v, bool)],
        phones=phones,
    )


class ClientService:
    """Clients on behalf of one actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def out(self, row: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
        """The API form of a client row with its contacts; hidden fields dropped."""
        data = {
            "id": row["id"],
            **{f: row[f] for f in FIELDS},
            "tags": list(row["tags"] or []),
            "custom": row["custom"] or {},
            "is_archived": row["is_archived"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            **extra,
        }
        return visible(self.actor, "client", data)

    async def _clean(self, given: dict[str, Any], partial: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in ("legal_name", "legal_address", "bank_name", "source", "comment"):
            if field in given:
                values[field] = check.text(given[field], field)
        if "name" in given:
            values["name"] = check.text(given["name"], "name", required=True)
        if "kind" in given:
            values["kind"] = ClientKind(given["kind"]).value
        cleaners = {"inn": check.inn, "kpp": check.kpp, "ogrn": check.ogrn, "bik": check.bik}
        for field, clean in cleaners.items():
            if field in given:
                values[field] = clean(given[field])
        for field in ("bank_account", "corr_account"):
            if field in given:
                values[field] = check.account(given[field], field)
        if "tags" in given:
            values["tags"] = check.tags(given["tags"])
        if "discount_percent" in given:
            values["discount_percent"] = check.percent(given["discount_percent"])
        if "custom" in given:
            values["custom"] = await orders.clean_custom_values(
                "client", given["custom"], partial=partial
            )
        return values

    async def create_client(self, data: ClientCreate) -> dict[str, Any]:
        """Create a client; clients sharing a phone or email come back in `duplicates`."""
        self.actor.require(Section.CLIENTS, Action.CREATE)
        given = msgspec.structs.asdict(data)
        defaults = msgspec.structs.asdict(ClientCreate(name="x"))
        check_writable(
            self.actor, "client", [k for k, v in given.items() if k != "name" and v != defaults[k]]
        )
        values = await self._clean({k: given[k] for k in FIELDS}, partial=False)
        for field in ("bank_account", "corr_account"):
            check.account_matches_bik(values["bik"], values[field], field)
        phones = contacts.clean_phones(data.phones)
        emails = contacts.clean_emails(data.emails)
        addresses = contacts.clean_addresses(data.addresses)
        found = await contacts.duplicates(
            [p["number"] for p in phones], [e["email"] for e in emails]
        )
        moment = now()
        async with Client._meta.db.transaction():
            client = Client(
                **values,
                search_text=_search_words(
                    values, [p["number"] for p in phones], [e["email"] for e in emails]
                ),
                created_by=self.actor.employee_id or None,
                created_at=moment,
                updated_at=moment,
            )
            await client.save()
            waiting = await contacts.store(client.id, phones, emails, addresses)
            after = {**values, "phones": [p["number"] for p in phones]}
            after["emails"] = [e["email"] for e in emails]
            await audit.record(
                self.actor,
                "client",
                client.id,
                "create",
                audit.diff({}, after),
                scope=f"client:{client.id}",
            )
        if waiting:
            await jobs.request_geocoding()
        card = await self.get_client(client.id)
        return {**card, "duplicates": await self._in_scope(found)}

    async def update_client(self, client_id: int, patch: ClientPatch) -> dict[str, Any]:
        """Change a client; archiving needs clients:delete; lists of contacts are replaced."""
        self.actor.require(Section.CLIENTS, Action.EDIT)
        changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
        check_writable(self.actor, "client", changes)
        async with Client._meta.db.transaction():
            before = await scope.client_row(self.actor, client_id)
            values = await self._clean({k: v for k, v in changes.items() if k in FIELDS}, True)
            if "custom" in values:
                values["custom"] = {**(before["custom"] or {}), **values["custom"]}
            if "is_archived" in changes and changes["is_archived"] != before["is_archived"]:
                self.actor.require(Section.CLIENTS, Action.DELETE)
                values["is_archived"] = changes["is_archived"]
            merged = {**before, **values}
            for field in ("bank_account", "corr_account"):
                if {field, "bik"} & set(values):
                    check.account_matches_bik(merged["bik"], merged[field], field)
            phones = contacts.clean_phones(changes["phones"]) if "phones" in changes else None
            emails = contacts.clean_emails(changes["emails"]) if "emails" in changes else None
            addresses = (
                contacts.clean_addresses(changes["addresses"]) if "addresses" in changes else None
            )
            old = (await contacts.of_clients([client_id]))[client_id]
            waiting = await contacts.store(client_id, phones, emails, addresses)
            numbers = [p["number"] for p in (phones if phones is not None else old["phones"])]
            mails = [e["email"] for e in (emails if emails is not None else old["emails"])]
            values["search_text"] = _search_words(merged, numbers, mails)
            values["updated_at"] = now()
            await Client.update(values).where(Client.id == client_id)  # type: ignore[arg-type]
            before_diff = {k: before[k] for k in values if k in FIELDS or k == "is_archived"}
            after_diff = {k: v for k, v in values.items() if k in before_diff}
            if phones is not None:
                before_diff["phones"] = [p["number"] for p in old["phones"]]
                after_diff["phones"] = numbers
            if emails is not None:
                before_diff["emails"] = [e["email"] for e in old["emails"]]
                after_diff["emails"] = mails
            if addresses is not None:
                before_diff["addresses"] = [a["address"] for a in old["addresses"]]
                after_diff["addresses"] = [a["address"] for a in addresses]
            delta = audit.diff(before_diff, after_diff)
            if delta:
                action = "update"
                if "is_archived" in delta:
                    action = "deactivate" if values["is_archived"] else "activate"
                await audit.record(
                    self.actor, "client", client_id, action, delta, scope=f"client:{client_id}"
                )
        await self._refresh_orders(client_id)
        if waiting:
            await jobs.request_geocoding()
        return await self.get_client(client_id)

    @staticmethod
    async def _refresh_orders(client_id: int) -> None:
        """Orders carry their client's search words; keep them in step."""
        await orders.refresh_for_client(client_id)

    async def get_client(self, client_id: int) -> dict[str, Any]:
        """The client card: contacts, addresses, devices, open reminders, totals, discount."""
        from server.clients.devices import DeviceService
        from server.clients.reminders import ReminderService

        self.actor.require(Section.CLIENTS, Action.VIEW)
        row = await scope.client_row(self.actor, client_id)
        extra = (await contacts.of_clients([client_id]))[client_id]
        percent, reason = await effective_discount(client_id)
        extra["devices"] = await DeviceService(self.actor).of_client(client_id)
        extra["reminders"] = await ReminderService(self.actor).of_client(client_id)
        extra["totals"] = msgspec.to_builtins(await orders.client_stats(self.actor, client_id))
        extra["discount"] = {"percent": percent, "reason": reason}
        if "discount_percent" in hidden_fields(self.actor, "client"):
            del extra["discount"]
        return self.out(row, extra)

    async def field_cards(self, client_ids: list[int]) -> list[dict[str, Any]]:
        """Cards of the clients in the actor's scope (contacts and devices, no history), by id,
        in three queries; for the phone."""
        from server.clients.devices import DeviceService

        self.actor.require(Section.CLIENTS, Action.VIEW)
        query = Client.select().where(Client.id.is_in(client_ids)).output(load_json=True)
        in_scope = await scope.scope_condition(self.actor)
        if in_scope is not None:
            query = query.where(in_scope)
        rows = await query.order_by(Client.id)
        ids = [r["id"] for r in rows]
        found = await contacts.of_clients(ids)
        devices = await DeviceService(self.actor).of_clients(ids)
        return [
            self.out(row, {**found[row["id"]], "devices": devices.get(row["id"], [])})
            for row in rows
        ]

    async def history(self, client_id: int) -> dict[str, Any]:
        """Every order and every device of the client, newest first, with totals."""
        from server.clients.devices import DeviceService

        self.actor.require(Section.CLIENTS, Action.VIEW)
        await scope.client_row(self.actor, client_id)
        found = await orders.client_history(self.actor, client_id)
        devices = await DeviceService(self.actor).of_client(client_id)
        devices.sort(key=lambda d: (d["created_at"], d["id"]), reverse=True)
        totals = msgspec.to_builtins(await orders.client_stats(self.actor, client_id))
        totals["orders"] = len(found)
        return {"orders": msgspec.to_builtins(found), "devices": devices, "totals": totals}

    async def duplicates(self, phone: str = "", email: str = "") -> list[dict[str, Any]]:
        """Clients that already have this phone or email."""
        self.actor.require(Section.CLIENTS, Action.VIEW)
        number = check.maybe_phone(phone)
        mail = email.strip().lower().replace("\x00", "")
        found = await contacts.duplicates([number] if number else [], [mail] if mail else [])
        return await self._in_scope(found)

    async def _in_scope(self, clients: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Those of the clients the actor may see."""
        condition = await scope.scope_condition(self.actor)
        if condition is None or not clients:
            return clients
        ids = [c["id"] for c in clients]
        seen = {
            r["id"] for r in await Client.select(Client.id).where(Client.id.is_in(ids), condition)
        }
        return [c for c in clients if c["id"] in seen]

    async def list_clients(
        self, filters: ClientFilters, cursor: str | None = None, limit: int = 50
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Clients in the actor's scope filtered, searched and sorted; keyset-paginated."""
        self.actor.require(Section.CLIENTS, Action.VIEW)
        if filters.sort not in SORTS:
            raise InvalidInput("Unknown sort; choose one of: {choices}", field="sort",
                               choices=", ".join(SORTS))  # fmt: skip
        expression, ascending = SORTS[filters.sort]
        query = Client.select().output(load_json=True)
        for condition in await self._conditions(filters):
            query = query.where(condition)
        if cursor:
            value, last_id = _cursor_key(expression, cursor)
            op = ">" if ascending else "<"
            query = query.where(WhereRaw(f"({expression}, client.id) {op} ({{}}, {{}})", value,
                                         last_id))  # fmt: skip
        query = query.order_by(OrderByRaw(expression), ascending=ascending)
        rows = await query.order_by(Client.id, ascending=ascending).limit(limit + 1)
        page = rows[:limit]
        extra = await contacts.of_clients([r["id"] for r in page], addresses=False)
        items = [self.out(r, extra[r["id"]]) for r in page]
        next_cursor = None
        if len(rows) > limit:
            last = page[-1]
            value = last["name"].lower() if "name" in expression else last["created_at"]
            key = str(value) if "name" in expression else value.isoformat()
            next_cursor = cursor_codec.encode(f"clients:{expression}", [key, last["id"]])
        return items, next_cursor

    async def count_clients(self, filters: ClientFilters) -> int:
        """How many clients the filters select for the actor (the list's conditions and scope)."""
        self.actor.require(Section.CLIENTS, Action.VIEW)
        query = Client.count()
        for condition in await self._conditions(filters):
            query = query.where(condition)
        return int(await query)

    async def _conditions(self, filters: ClientFilters) -> list[Any]:
        hidden = hidden_fields(self.actor, "client")
        for name, field in (("tag", "tags"), ("source", "source")):
            if getattr(filters, name) and field in hidden:
                raise InvalidInput("You may not filter by a field hidden from you", field=name)
        if filters.custom and "custom" in hidden:
            raise InvalidInput("You may not filter by a field hidden from you", field="custom")
        conditions: list[Any] = [Client.is_archived.eq(filters.archived)]
        in_scope = await scope.scope_condition(self.actor)
        if in_scope is not None:
            conditions.append(in_scope)
        if filters.kind:
            if filters.kind not in {k.value for k in ClientKind}:
                raise InvalidInput("Unknown value", field="kind")
            conditions.append(Client.kind == filters.kind)
        if filters.tag:
            conditions.append(WhereRaw("{} = ANY(client.tags)", filters.tag))
        if filters.source:
            conditions.append(Client.source == filters.source)
        if filters.created_from:
            conditions.append(Client.created_at >= clock.day_start(filters.created_from))
        if filters.created_to:
            end = clock.day_start(filters.created_to + dt.timedelta(days=1))
            conditions.append(Client.created_at < end)
        for code, value in filters.custom.items():
            conditions.append(WhereRaw("client.custom ->> {} = {}", code, value))
        text = search_digits(filters.q) or filters.q.strip()
        if api.search_is_limited(self.actor):
            condition = matches_parts(api.searched_parts(self.actor, "client"), text)
        else:
            condition = matches(Client, text)
        if condition is not None:
            conditions.append(condition)
        return conditions


def _cursor_key(expression: str, given: str) -> tuple[Any, int]:
    value, last_id = cursor_codec.decode(f"clients:{expression}", given, 2)
    if not isinstance(value, str):
        raise InvalidInput("The page cursor is damaged; open the list again", field="cursor")
    if "created_at" not in expression:
        return value, last_id
    try:
        return dt.datetime.fromisoformat(value), last_id
    except ValueError:
        raise InvalidInput(
            "The page cursor is damaged; open the list again", field="cursor"
        ) from None
