"""Seed the matrix's world through the real API: every hideable field holds a marker.

Two technicians, two field technicians, a dealer and two custom roles that hide every field
of the catalogue (one limited to its own orders, one seeing all) each have orders; the shared
client has orders of all of them, so a history that ignores scope shows someone else's.
Orders are changed after intake (fault, deadline, lines, a payment) so the audit timeline
holds old and new values too.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any

import httpx
from openpyxl import Workbook
from PIL import Image

from server.config import get_settings
from server.dispatch.services import today
from server.documents.tables import Download
from server.fieldaccess import FIELD_CATALOGUE
from server.orders.tables import CustomField, OrderType, PriceItem
from server.staff.permissions import BUILTIN_ROLES, Action, Capability, Section
from server.staff.schemas import RoleCreate
from server.staff.services import StaffService, load_actor, system_actor
from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.leaks import markers as mk
from tests.server.leaks.markers import Factory, Owner
from tests.server.leaks.world import Obj, Viewer, World

CUSTOM = "zqnote"
BLIND_OWN = "blind_own"  # hides every field; only its own orders
BLIND_ALL = "blind_all"  # hides every field; all orders
# The employee each role is tried as (others of the role exist to be out of their scope).
LOGINS = {
    "admin": "boss",
    "manager": "mgr",
    "technician": "tech1",
    "field_technician": "field1",
    "dealer": "dealer1",
    "dispatcher": "disp",
    "receiver": "recv",
    BLIND_OWN: "blind",
    BLIND_ALL: "blindall",
}
OTHERS = {"tech2": "technician", "field2": "field_technician", "mgr2": "manager"}


def _every_field_hidden() -> dict[str, str]:
    return {f"{e}.{f}": "hidden" for e, fields in FIELD_CATALOGUE.items() for f in fields}


def _stored(sections: dict[Section, tuple[Action, ...]], caps: tuple[Capability, ...]) -> Any:
    stored: dict[str, list[str]] = {
        s.value: [a.value for a in acts] for s, acts in sections.items()
    }
    stored["special"] = [c.value for c in caps]
    return stored


_V, _C, _E, _X = Action.VIEW, Action.CREATE, Action.EDIT, Action.EXPORT
BLIND_SECTIONS = {
    Section.ORDERS: (_V, _C, _E, _X),
    Section.CLIENTS: (_V, _X),
    Section.STOCK: (_V,),
    Section.FINANCE: (_V,),
    Section.REPORTS: (_V, _X),
    Section.DISPATCH: (_V,),
}


class Seeder:
    """Builds a World through one HTTP client, logging in as whoever makes each change."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.http = client
        self.world = World()
        self.make = Factory()
        self.who = ""

    # ---- helpers ---------------------------------------------------------------------------

    async def as_(self, login: str) -> None:
        if self.who != login:
            self.http.cookies.clear()
            self.http.headers.pop("X-CSRFToken", None)
            await login_as(self.http, login)
            self.who = login

    async def call(self, method: str, url: str, expect: int = 200, **kw: Any) -> Any:
        response = await self.http.request(method, url, **kw)
        if response.status_code != expect:
            raise AssertionError(f"seeding {method} {url}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def word(self, tag: str, label: str, *owners: Owner) -> str:
        value = self.make.word(tag)
        self.world.mark(mk.WORD, value, mk.word_pattern(value), label, *owners)
        return value

    def money(self, value: Decimal | str | None, label: str, *owners: Owner) -> None:
        if value is None or Decimal(value) == 0:
            return
        amount = Decimal(value)
        self.world.mark(mk.MONEY, f"{amount:.2f}", mk.money_pattern(amount), label, *owners)

    def field_owner(self, key: str, name: str) -> Owner:
        """The owner of a catalogue field's value (None when the catalogue lacks the field)."""
        entity = self.world.objects[key].kind
        entity = "order_line" if entity == "line" else entity
        return Owner(key, f"{entity}.{name}" if name in FIELD_CATALOGUE.get(entity, {}) else None)

    # ---- people ----------------------------------------------------------------------------

    async def people(self) -> None:
        staff = StaffService(system_actor())
        hidden = _every_field_hidden()
        own = RoleCreate(
            name="Blind own",
            code=BLIND_OWN,
            permissions=_stored(BLIND_SECTIONS, (Capability.LOCKED_NOTE,)),
            field_permissions=hidden,
        )
        every = RoleCreate(
            name="Blind all",
            code=BLIND_ALL,
            permissions=_stored(BLIND_SECTIONS, (Capability.ALL_ORDERS,)),
            field_permissions=hidden,
        )
        await staff.create_role(own)
        await staff.create_role(every)
        roles = {
            code: LOGINS.get(code, f"{code}1") for code in [*BUILTIN_ROLES, BLIND_OWN, BLIND_ALL]
        }
        for login, code in [*((lg, c) for c, lg in roles.items()), *OTHERS.items()]:
            name = self.make.word("staff")
            employee = await make_employee(login, roles=[code], full_name=f"Сотрудник {name}")
            self.world.employees[login] = employee.id
            key = f"employee-{login}"
            self.world.add(Obj(key, "employee", employee.id, identity=[name], label=login))
            self.world.mark(mk.WORD, name, mk.word_pattern(name), "staff name", Owner(key))
        for code, login in roles.items():
            actor = await load_actor(self.world.employees[login])
            assert actor is not None
            self.world.viewers[code] = Viewer.of(login, code, actor)

    # ---- clients and devices ---------------------------------------------------------------

    async def client(self, key: str, *, discount: bool = True) -> int:
        obj = self.world.add(Obj(key, "client", 0, label=f"client {key}"))
        n = len(self.world.of_kind("client"))
        name_word = self.make.word("name")
        phone = f"9{n:02d}{7351 + n * 13:04d}{n % 10}{(n * 3) % 10}{n % 7}"
        mail = self.make.word("mail")
        street = self.make.word("street")
        bik = f"0445{n:02d}{225 + n:03d}"
        data: dict[str, Any] = {
            "name": f"Клиент {name_word}",
            "kind": "company",
            "phones": [{"number": f"+7{phone}"}],
            "emails": [{"email": f"{mail}@example.ru"}],
            "addresses": [
                {
                    "address": f"Москва, ул. {street}, 1",
                    "lat": 55.7 + n / 100,
                    "lon": 37.6 + n / 100,
                }
            ],
            "inn": mk.valid_inn(100 + n),
            "kpp": f"7701{n:02d}{n + 100:03d}",
            "ogrn": mk.valid_ogrn(200 + n),
            "bik": bik,
            "bank_account": mk.valid_account(bik, 300 + n, correspondent=False),
            "corr_account": mk.valid_account(bik, 400 + n, correspondent=True),
        }
        await self.as_("boss")
        w = self.world
        for tag, name, fmt in (
            ("legal", "legal_name", "ООО {}"),
            ("laddr", "legal_address", "Москва, {}, 2"),
            ("bank", "bank_name", "Банк {}"),
            ("source", "source", "{}"),
            ("comment", "comment", "Платит {} наличными"),
        ):
            data[name] = fmt.format(self.word(tag, f"client.{name}", self.field_owner(key, name)))
        data["tags"] = [self.word("tag", "client.tags", self.field_owner(key, "tags"))]
        data["custom"] = {
            CUSTOM: self.word("ccustom", "client.custom", self.field_owner(key, "custom"))
        }
        if discount:
            percent = self.make.percent()
            data["discount_percent"] = str(percent)
            w.mark(
                mk.PERCENT,
                str(percent),
                mk.percent_pattern(percent),
                "client.discount_percent",
                self.field_owner(key, "discount_percent"),
            )
        for name in ("inn", "kpp", "ogrn", "bik", "bank_account", "corr_account"):
            w.mark(
                mk.DIGITS,
                data[name],
                mk.digits_pattern(data[name]),
                f"client.{name}",
                self.field_owner(key, name),
            )
        ident = Owner(key)
        w.mark(mk.WORD, name_word, mk.word_pattern(name_word), "client name", ident)
        w.mark(mk.WORD, mail, mk.word_pattern(mail), "client email", ident)
        w.mark(mk.WORD, street, mk.word_pattern(street), "client address", ident)
        w.mark(mk.DIGITS, phone, mk.phone_pattern(phone), "client phone", ident)
        body = await self.call("POST", "/api/v1/clients", 201, json=data)
        card = body.get("client", body)
        obj.id = card["id"]
        obj.identity = [name_word]
        return int(obj.id)

    async def device(self, key: str, client_key: str) -> int:
        obj = self.world.add(Obj(key, "device", 0, parent=client_key, label=f"device {key}"))
        ident = Owner(key)
        serial = self.word("serial", "device serial", ident)
        data = {
            "brand_name": "Bosch",
            "model_name": self.word("model", "device model", ident),
            "serial": serial,
            "notes": self.word("dnote", "device notes", ident),
        }
        client_id = self.world.objects[client_key].id
        body = await self.call("POST", f"/api/v1/clients/{client_id}/devices", 201, json=data)
        obj.id = body["id"]
        obj.identity = [serial]
        return int(obj.id)

    # ---- orders ----------------------------------------------------------------------------

    async def order(
        self,
        key: str,
        client_key: str,
        *,
        technician: str | None = None,
        creator: str = "boss",
        field: bool = False,
        single_line: bool = False,
    ) -> Obj:
        w = self.world
        obj = w.add(Obj(key, "order", 0, parent=client_key, label=f"order {key}"))
        device_key = f"{key}-device"
        await self.as_("boss")
        device_id = await self.device(device_key, client_key)
        kind = await OrderType.select(OrderType.id).where(
            OrderType.code == ("field" if field else "repair")
        )
        if not kind:
            kind = await OrderType.select(OrderType.id).where(OrderType.is_field.eq(field))
        due = self.make.day()
        w.mark(
            mk.DAY,
            due.isoformat(),
            mk.day_pattern(due),
            "order.due_at",
            self.field_owner(key, "due_at"),
        )
        estimate = self.make.amount()
        self.money(estimate, "order.estimated_cost", self.field_owner(key, "estimated_cost"))
        prepayment = self.make.small_amount()
        data: dict[str, Any] = {
            "client_id": w.objects[client_key].id,
            "order_type_id": kind[0]["id"],
            "device_id": device_id,
            "declared_fault": "Не включается, "
            + self.word(
                "fault", "order.declared_fault (at intake)", self.field_owner(key, "declared_fault")
            ),
            "appearance": "Царапины, "
            + self.word("look", "order.appearance", self.field_owner(key, "appearance")),
            "accessories": "Кабель, "
            + self.word("acc", "order.accessories", self.field_owner(key, "accessories")),
            "estimated_cost": str(estimate),
            "due_at": dt.datetime.combine(due, dt.time(12), dt.UTC).isoformat(),
            "prepayment": str(prepayment),
            "priority": "high",
            "manager_id": w.employees["mgr2"],  # who writes nothing: their name shows only here
            "custom": {
                CUSTOM: self.word("ocustom", "order.custom", self.field_owner(key, "custom"))
            },
        }
        if technician:
            data["technician_id"] = w.employees[technician]
        await self.as_(creator)
        if creator == "boss":
            self.money(prepayment, "order.prepayment", self.field_owner(key, "prepayment"))
        else:  # a dealer files the order: no prepayment, manager or technician of his choosing
            for name in ("manager_id", "technician_id", "prepayment"):
                data.pop(name, None)
        created = await self.call("POST", "/api/v1/orders", 201, json=data)
        obj.id = created["id"]
        obj.technician = w.employees[technician] if technician else None
        obj.manager = w.employees["mgr2"] if creator == "boss" else None
        obj.created_by = w.employees[creator]
        obj.is_field = field
        w.mark(
            mk.CODE,
            created["number"],
            mk.code_pattern(created["number"]),
            "order number",
            Owner(key),
        )
        w.mark(
            mk.CODE,
            created["public_code"],
            mk.code_pattern(created["public_code"]),
            "order public code",
            Owner(key),
        )
        obj.identity = [created["number"]]
        await self.as_("boss")
        new_due = self.make.day()
        w.mark(
            mk.DAY,
            new_due.isoformat(),
            mk.day_pattern(new_due),
            "order.due_at (changed)",
            self.field_owner(key, "due_at"),
        )
        fault = self.word(
            "fault", "order.declared_fault (changed)", self.field_owner(key, "declared_fault")
        )
        patch = {
            "declared_fault": f"Не сливает, {fault}",
            "due_at": dt.datetime.combine(new_due, dt.time(12), dt.UTC).isoformat(),
        }
        await self.call("PATCH", f"/api/v1/orders/{obj.id}", json=patch)
        await self.lines(key, single_line=single_line)
        payment = self.make.small_amount()
        self.money(payment, "payment amount (part of order.paid)", self.field_owner(key, "paid"))
        await self.call(
            "POST", f"/api/v1/orders/{obj.id}/payments", 201, json={"amount": str(payment)}
        )
        event = self.word("comment", "timeline comment", Owner(key))
        await self.call(
            "POST",
            f"/api/v1/orders/{obj.id}/timeline",
            201,
            json={"kind": "comment", "text": f"Позвонил клиенту: {event}"},
        )
        return obj

    async def lines(self, key: str, *, single_line: bool) -> None:
        order_id = self.world.objects[key].id
        n = len(self.world.objects)
        list_price = self.make.amount()
        purchase = self.make.small_amount()
        item = PriceItem(
            kind="service",
            code=f"LEAK-{n}",
            name="Работа " + self.make.word("item"),
            price=list_price,
            purchase_price=purchase,
            warranty_days=30,
        )
        await item.save()
        first: dict[str, Any] = {"price_item_id": item.id}
        if not single_line:
            first |= {
                "quantity": "2",
                "unit_price": str(self.make.amount()),
                "price_reason": "Скидка постоянному: " + self.make.word("reason"),
            }
        await self.call("POST", f"/api/v1/orders/{order_id}/lines", 201, json=first)
        if not single_line:
            second = {
                "kind": "part",
                "name": "Деталь " + self.make.word("part"),
                "quantity": "1",
                "unit_price": str(self.make.amount()),
                "purchase_price": str(self.make.small_amount()),
            }
            await self.call("POST", f"/api/v1/orders/{order_id}/lines", 201, json=second)
        await PriceItem.update({PriceItem.is_active: False}).where(PriceItem.id == item.id)

    async def read_back(self) -> None:
        """Mark what the server computed (line totals, order money), as the admin sees it."""
        await self.as_("boss")
        w = self.world
        for obj in w.of_kind("order"):
            order = await self.call("GET", f"/api/v1/orders/{obj.id}")
            w.admin_orders[obj.id] = order
            for name in ("subtotal", "discount_amount", "total", "paid", "amount_due"):
                self.money(order.get(name), f"order.{name}", self.field_owner(obj.key, name))
            if order.get("discount_percent") and Decimal(order["discount_percent"]):
                percent = Decimal(order["discount_percent"])
                w.mark(
                    mk.PERCENT,
                    str(percent),
                    mk.percent_pattern(percent),
                    "order.discount_percent",
                    self.field_owner(obj.key, "discount_percent"),
                )
            for line in order["lines"]:
                key = f"{obj.key}-line{line['id']}"
                w.add(Obj(key, "line", line["id"], parent=obj.key, label=f"line of {obj.key}"))
                for name in ("unit_price", "total", "list_price", "purchase_price"):
                    self.money(line.get(name), f"order_line.{name}", self.field_owner(key, name))
                name_word = line["name"].split()[-1]
                w.mark(mk.WORD, name_word, mk.word_pattern(name_word), "line name", Owner(key))
                reason = (line.get("price_reason") or "").split()
                if reason:
                    w.mark(
                        mk.WORD,
                        reason[-1],
                        mk.word_pattern(reason[-1]),
                        "order_line.price_reason",
                        self.field_owner(key, "price_reason"),
                    )
        for obj in w.of_kind("client"):
            w.admin_clients[obj.id] = await self.call("GET", f"/api/v1/clients/{obj.id}")

    # ---- field work, files, reminders, downloads, templates ---------------------------------

    async def visit(self, key: str, order_key: str, master: str) -> None:
        await self.as_("disp")
        w = self.world
        comment = self.make.word("visit")
        body = await self.call(
            "POST",
            "/api/v1/visits",
            201,
            json={
                "order_id": w.objects[order_key].id,
                "master_id": w.employees[master],
                "day": today().isoformat(),
                "comment": f"Домофон {comment}",
            },
        )
        w.add(
            Obj(
                key,
                "visit",
                body["id"],
                parent=order_key,
                master=w.employees[master],
                label=f"visit {key}",
            )
        )
        w.mark(mk.WORD, comment, mk.word_pattern(comment), "visit comment", Owner(key))
        w.objects[order_key].technician = w.employees[master]

    async def photo(self, key: str, order_key: str, login: str) -> None:
        await self.as_(login)
        w = self.world
        caption = self.make.word("caption")
        inside = self.make.word("photo")
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="JPEG", comment=inside.encode())
        file_id = str(uuid.uuid4())
        params = {"order_id": w.objects[order_key].id, "caption": f"Шильдик {caption}"}
        await self.call(
            "PUT", f"/api/v1/sync/files/{file_id}", 201, params=params, content=buffer.getvalue()
        )
        w.add(Obj(key, "file", file_id, parent=order_key, label=f"photo {key}"))
        w.mark(mk.WORD, caption, mk.word_pattern(caption), "photo caption", Owner(key))
        w.mark(mk.WORD, inside, mk.word_pattern(inside), "photo content", Owner(key))

    async def locked_comment(self, order_key: str, hidden_from: list[str]) -> None:
        await self.as_("mgr")
        w = self.world
        text = self.make.word("locked")
        order_id = w.objects[order_key].id
        body = await self.call(
            "POST",
            f"/api/v1/orders/{order_id}/timeline",
            201,
            json={
                "kind": "comment",
                "text": f"Только для своих: {text}",
                "hidden_from_roles": hidden_from,
            },
        )
        key = f"{order_key}-locked"
        w.add(
            Obj(
                key,
                "event",
                body["id"],
                parent=order_key,
                hidden_from_roles=frozenset(hidden_from),
                label=f"locked comment on {order_key}",
            )
        )
        w.mark(mk.WORD, text, mk.word_pattern(text), "locked timeline comment", Owner(key))

    async def reminder(self, client_key: str) -> None:
        await self.as_("mgr")
        w = self.world
        text = self.make.word("remind")
        due = self.make.day()
        client_id = w.objects[client_key].id
        body = await self.call(
            "POST",
            f"/api/v1/clients/{client_id}/reminders",
            201,
            json={
                "text": f"Перезвонить {text}",
                "due_at": dt.datetime.combine(due, dt.time(12), dt.UTC).isoformat(),
            },
        )
        key = f"{client_key}-reminder"
        w.add(
            Obj(
                key,
                "reminder",
                body["id"],
                parent=client_key,
                people=frozenset({w.employees["mgr"]}),
                label=f"manager's reminder on {client_key}",
            )
        )
        w.mark(mk.WORD, text, mk.word_pattern(text), "private reminder", Owner(key))
        w.mark(mk.DAY, due.isoformat(), mk.day_pattern(due), "private reminder due", Owner(key))

    async def download(self, login: str) -> None:
        w = self.world
        inside = self.make.word("download")
        workbook = Workbook()
        workbook.active.append([inside])
        relative = f"downloads/leak-matrix-{inside}.xlsx"
        path = get_settings().data_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
        row = Download(
            employee=w.employees[login],
            file_name="orders.xlsx",
            status="done",
            path=relative,
            rows=1,
            size=path.stat().st_size,
            created_at=dt.datetime.now(dt.UTC),
            finished_at=dt.datetime.now(dt.UTC),
        )
        await row.save()
        key = f"download-{login}"
        w.add(
            Obj(
                key,
                "download",
                row.id,
                people=frozenset({w.employees[login]}),
                label=f"{login}'s download",
            )
        )
        w.mark(mk.WORD, inside, mk.word_pattern(inside), "download content", Owner(key))

    async def template(self) -> None:
        await self.as_("boss")
        body = await self.call(
            "POST",
            "/api/v1/print-templates",
            201,
            json={"kind": "receipt", "name": "Квитанция (матрица)"},
        )
        self.world.template_ids.append(body["id"])


async def seed(client: httpx.AsyncClient) -> World:
    """The whole world, seeded through the API (and a few rows written directly)."""
    s = Seeder(client)
    await s.people()
    for entity in ("order", "client"):
        await CustomField(entity=entity, code=CUSTOM, label="Заметка", kind="text").save()
    for key in ("shared", "c_tech2", "c_dealer", "c_unassigned", "c_blind", "c_moved"):
        await s.client(key, discount=key != "c_blind")
    await s.order("o_tech1", "shared", technician="tech1")
    await s.order("o_tech2", "shared", technician="tech2")
    await s.order("o_tech2_own", "c_tech2", technician="tech2")
    await s.order("o_field1", "shared", field=True)
    await s.order("o_field2", "shared", field=True)
    await s.order("o_moved", "c_moved", field=True)
    await s.order("o_dealer", "c_dealer", creator="dealer1")
    await s.order("o_dealer_shared", "shared", creator="dealer1")
    await s.order("o_unassigned", "c_unassigned")
    await s.order("o_blind1", "shared", technician="blind")
    await s.order("o_blind2", "c_blind", technician="blind", single_line=True)
    await s.order("o_blind3", "c_blind", field=True)
    await s.visit("v_field1", "o_field1", "field1")
    await s.visit("v_field2", "o_field2", "field2")
    await s.visit("v_moved", "o_moved", "field1")
    await s.visit("v_blind", "o_blind3", "blind")
    # the moved order goes to field2; field1's visit stays, but the order is no longer his
    await s.as_("boss")
    moved = s.world.objects["o_moved"]
    await s.call(
        "PATCH", f"/api/v1/orders/{moved.id}", json={"technician_id": s.world.employees["field2"]}
    )
    moved.technician = s.world.employees["field2"]
    await s.photo("f_field1", "o_field1", "field1")
    await s.photo("f_field2", "o_field2", "field2")
    supervised = ["technician", "field_technician", "dealer", BLIND_OWN, BLIND_ALL]
    await s.locked_comment("o_tech1", supervised)
    await s.locked_comment("o_blind1", supervised)
    await s.reminder("shared")
    await s.download("boss")
    await s.template()
    s.world.role_ids = [r["id"] for r in await Role.select(Role.id).order_by(Role.id)]
    kinds = await OrderType.select(OrderType.id).order_by(OrderType.id)
    s.world.order_type_ids = [k["id"] for k in kinds]
    await s.read_back()
    s.http.cookies.clear()
    s.http.headers.pop("X-CSRFToken", None)
    return s.world
