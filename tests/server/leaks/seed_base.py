"""The seeder's base: logging in, calling the API, planting markers; people, clients, devices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from server.fieldaccess import FIELD_CATALOGUE
from server.partners.schemas import OrgIn
from server.partners.services import create_organization
from server.staff.permissions import (
    BUILTIN_FIELD_PERMISSIONS,
    BUILTIN_ROLES,
    Action,
    Capability,
    Section,
    builtin_permissions,
)
from server.staff.schemas import RoleCreate
from server.staff.services import StaffService, load_actor, system_actor
from tests.server.builders import login_as, make_employee
from tests.server.leaks import markers as mk
from tests.server.leaks.markers import Factory, Owner
from tests.server.leaks.world import Obj, Viewer, World

CUSTOM = "zqnote"
BLIND_OWN = "blind_own"  # hides every field; only its own orders
BLIND_ALL = "blind_all"  # hides every field; all orders
PARTIAL = "partial_tech"  # a technician whose role hides the money and fault fields of issue 9
PARTIAL_HIDDEN = (
    "order.total",
    "order.paid",
    "order.amount_due",
    "order.declared_fault",
    "order.due_at",
)  # The employee each role is tried as (others of the role exist to be out of their scope).
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
    PARTIAL: "tech3",
    "partner": "partnera",  # a dealer of organization A (objects of B are seeded)
}
OTHERS = {"tech2": "technician", "field2": "field_technician", "mgr2": "manager"}
PARTNERS = {"partnera": "A", "partnerb": "B"}  # partner employees (dealer role): organization


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
    Section.CLIENTS: (_V, _E, _X),
    Section.STOCK: (_V,),
    Section.FINANCE: (_V,),
    Section.REPORTS: (_V, _X),
    Section.DISPATCH: (_V,),
}


class Base:
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
        partial = RoleCreate(
            name="Partial technician",
            code=PARTIAL,
            permissions=builtin_permissions("technician"),
            field_permissions={
                **BUILTIN_FIELD_PERMISSIONS["technician"],
                **{key: "hidden" for key in PARTIAL_HIDDEN if key in _every_field_hidden()},
            },
        )
        for role in (own, every, partial):
            await staff.create_role(role)
        customs = [BLIND_OWN, BLIND_ALL, PARTIAL]
        roles = {code: LOGINS.get(code, f"{code}1") for code in [*BUILTIN_ROLES, *customs]}
        for letter, kind in (("A", "dealer"), ("B", "service_center")):
            org = await create_organization(
                system_actor(), OrgIn(kind=kind, name=f"Партнёр {letter}")
            )
            self.world.organizations[letter] = org.id
        partners = {login: "dealer" for login in PARTNERS}
        for login, code in [
            *((lg, c) for c, lg in roles.items()),
            *OTHERS.items(),
            *partners.items(),
        ]:
            name = self.make.word("staff")
            org_id = self.world.organizations[PARTNERS[login]] if login in PARTNERS else None
            employee = await make_employee(
                login, roles=[code], full_name=f"Сотрудник {name}", organization_id=org_id
            )
            self.world.employees[login] = employee.id
            key = f"employee-{login}"
            self.world.add(Obj(key, "employee", employee.id, identity=[name], label=login))
            self.world.mark(mk.WORD, name, mk.word_pattern(name), "staff name", Owner(key))
        for code, login in [*roles.items(), ("partner", LOGINS["partner"])]:
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
