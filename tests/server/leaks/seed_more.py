"""Seeding the rest: visits, photos, a locked comment, a reminder, a download, a template."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import uuid

from openpyxl import Workbook
from PIL import Image

from server.config import get_settings
from server.dispatch.services import today
from server.documents.tables import Download
from server.ratings.tables import Rating
from tests.server.leaks import markers as mk
from tests.server.leaks.markers import Owner
from tests.server.leaks.seed_base import Base
from tests.server.leaks.world import Obj


class MoreSeeding(Base):
    """What hangs on orders and clients besides their fields."""

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

    async def plan(self) -> None:
        """A day's plan of the dispatcher, solved by the app's worker."""
        await self.as_("disp")
        day = today() + dt.timedelta(days=1)
        while day.weekday() >= 5:  # the seeded masters work Monday to Friday
            day += dt.timedelta(days=1)
        body = await self.call("POST", "/api/v1/dispatch/plans", 202, json={"day": day.isoformat()})
        for _ in range(300):
            plan = await self.call("GET", f"/api/v1/dispatch/plans/{body['id']}")
            if plan["status"] not in ("queued", "running"):
                break
            await asyncio.sleep(0.1)
        self.world.add(Obj("plan", "plan", body["id"], label="plan of the next working day"))

    async def template(self) -> None:
        await self.as_("boss")
        body = await self.call(
            "POST",
            "/api/v1/print-templates",
            201,
            json={"kind": "receipt", "name": "Квитанция (матрица)"},
        )
        self.world.template_ids.append(body["id"])

    async def rating(self, order_key: str) -> None:
        """A client's rating of the order (written directly: the link is the client's)."""
        w = self.world
        comment = self.make.word("rating")
        order = w.objects[order_key]
        await Rating(
            order=order.id,
            score=2,
            comment=f"Долго {comment}",
            aspects={},
            technician=order.technician,
            month=today().strftime("%Y-%m"),
            created_at=dt.datetime.now(dt.UTC),
        ).save()
        w.mark(mk.WORD, comment, mk.word_pattern(comment), "rating comment", Owner(order_key))
