"""Seeding requests: one from the website's API, one taken by phone, one filed by each
partner (the partner viewer is a dealer of A; B's request must stay hidden from them)."""

from __future__ import annotations

from typing import Any

from tests.server.leaks import markers as mk
from tests.server.leaks.markers import Owner
from tests.server.leaks.seed_base import Base
from tests.server.leaks.world import Obj


class RequestSeeding(Base):
    """Requests with a marker in the requester's name, the device and the problem."""

    async def request(self, key: str, login: str | None) -> None:
        w = self.world
        obj = w.add(Obj(key, "request", 0, label=f"request {key}"))
        ident = Owner(key)
        n = len(w.of_kind("request"))
        data: dict[str, Any] = {
            "name": "Заявитель " + self.word("reqname", "request name", ident),
            "phone": f"+7903555{n:02d}{n + 10:02d}",
            "email": f"req{n}@example.ru",
            "device": "Пылесос " + self.word("reqdevice", "request device", ident),
            "problem": "Гудит, " + self.word("reqproblem", "request problem", ident),
            "address": "Москва, " + self.word("reqstreet", "request address", ident),
        }
        if login is None:
            self.http.cookies.clear()
            self.http.headers.pop("X-CSRFToken", None)
            self.who = ""
            created = await self.call("POST", "/api/v1/public/requests", 201, json=data)
            number = created["number"]
            await self.as_("boss")
            found = await self.call("GET", "/api/v1/requests", params={"q": number})
            obj.id = found["items"][0]["id"]
        else:
            await self.as_(login)
            created = await self.call("POST", "/api/v1/requests", 201, json=data)
            obj.id, number = created["id"], created["number"]
            obj.created_by = w.employees[login]
            obj.people = frozenset({w.employees[login]})
            obj.source_org = created["source_org"]["id"] if created["source_org"] else None
        obj.identity = [number]
        w.mark(mk.CODE, number, mk.code_pattern(number), "request number", ident)

    async def requests(self) -> None:
        await self.request("r_public", None)
        await self.request("r_phone", "recv")
        await self.request("r_partner_a", "partnera")
        await self.request("r_partner_b", "partnerb")
