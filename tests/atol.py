"""A local server speaking ATOL's web server protocol for its cash registers (JSON tasks):
POST /api/v2/requests {"uuid", "request": [task]} → 201, or 409 for a uuid it has already;
GET /api/v2/requests/<uuid> → {"results": [{"status", "errorCode", "errorDescription",
"result": {"fiscalParams": ...}}]}, 404 for an unknown uuid. It checks a task as the register
would (items' amounts add up to the total and to the payments), prints a receipt per task
(fiscal document numbers counting up), and can be told to answer the next POSTs late (the task
queued all the same: an answer lost on the way) or to be busy for the first reads."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.httpstub import serving

KNOWN_TYPES = {"sell", "sellReturn"}
PAYMENT_TYPES = {"cash", "electronically", "prepaid", "credit", "other"}


@dataclass
class Receipt:
    uuid: str
    task: dict[str, Any]
    status: str
    error: str
    fiscal: dict[str, Any] = field(default_factory=dict)
    reads: int = 0


class AtolRegister:
    def __init__(self) -> None:
        self.url = ""
        self.receipts: dict[str, Receipt] = {}
        self.posts = 0
        self.late_posts = 0  # the next POSTs answer after `late_by` seconds
        self.late_by = 0.0
        self.busy_reads = 0  # each task answers "inProgress" to its first reads
        self.lock = threading.Lock()

    def printed(self) -> list[Receipt]:
        """Receipts the register printed (tasks done), in order."""
        return [r for r in self.receipts.values() if r.status == "ready"]

    def queue(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        uuid = str(body.get("uuid", ""))
        tasks = body.get("request")
        if not uuid or not isinstance(tasks, list) or len(tasks) != 1:
            return 400, {"error": {"code": 1, "description": "Неверный формат запроса"}}
        with self.lock:
            self.posts += 1
            if uuid in self.receipts:
                return 409, {"error": {"code": 3, "description": "Задание с таким uuid существует"}}
            task = tasks[0]
            problem = self.check(task)
            receipt = Receipt(uuid, task, "error" if problem else "ready", problem)
            if not problem:
                number = len(self.printed()) + 1
                receipt.fiscal = {
                    "fiscalDocumentNumber": 100 + number,
                    "fiscalDocumentSign": f"{3000000000 + number * 7919:010d}",
                    "fiscalReceiptNumber": number,
                    "fnNumber": "9999078900012345",
                    "registrationNumber": "0000000001002292",
                    "shiftNumber": 1,
                    "total": task["total"],
                    "fiscalDocumentDateTime": time.strftime("%Y.%m.%d %H:%M:%S"),
                    "fnsUrl": "www.nalog.gov.ru",
                }
            self.receipts[uuid] = receipt
        return 201, {"uuid": uuid, "number": len(self.receipts)}

    @staticmethod
    def check(task: dict[str, Any]) -> str:
        if task.get("type") not in KNOWN_TYPES:
            return "Неизвестный тип задания"
        items = task.get("items") or []
        payments = task.get("payments") or []
        if not items or not payments:
            return "Чек без позиций или оплат"
        total = round(sum(i["amount"] for i in items), 2)
        if any(p.get("type") not in PAYMENT_TYPES for p in payments):
            return "Неизвестный тип оплаты"
        if round(sum(p["sum"] for p in payments), 2) < total or abs(task["total"] - total) > 0.001:
            return "Сумма оплат меньше суммы чека"
        for item in items:
            if abs(round(item["price"] * item["quantity"], 2) - item["amount"]) > 0.01:
                return f"Сумма позиции «{item['name']}» не равна цене на количество"
        if task.get("electronically") and not (task.get("clientInfo") or {}).get("emailOrPhone"):
            return "Для электронного чека не указан телефон или e-mail покупателя"
        return ""

    def read(self, uuid: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            receipt = self.receipts.get(uuid)
            if receipt is None:
                return 404, {"error": {"code": 4, "description": "Задание не найдено"}}
            receipt.reads += 1
            if receipt.reads <= self.busy_reads:
                return 200, {"results": [{"status": "inProgress", "errorCode": 0,
                                          "errorDescription": "", "result": None}]}  # fmt: skip
            result = {"fiscalParams": receipt.fiscal} if receipt.status == "ready" else None
            code = 0 if receipt.status == "ready" else 115
            return 200, {"results": [{"status": receipt.status, "errorCode": code,
                                      "errorDescription": receipt.error or "Ошибок нет",
                                      "result": result}]}  # fmt: skip


@contextmanager
def atol_register() -> Iterator[AtolRegister]:
    register = AtolRegister()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path != "/api/v2/requests":
                self._answer(404, {})
                return
            try:
                body = json.loads(raw)
            except ValueError:
                self._answer(400, {"error": {"code": 1, "description": "Не JSON"}})
                return
            status, answer = register.queue(body)
            with register.lock:
                late = register.late_posts > 0
                register.late_posts -= 1 if late else 0
            if late:
                time.sleep(register.late_by)  # queued already: only the answer is late
            self._answer(status, answer)

        def do_GET(self) -> None:
            prefix = "/api/v2/requests/"
            if not self.path.startswith(prefix):
                self._answer(404, {})
                return
            self._answer(*register.read(self.path.removeprefix(prefix)))

    with serving(Handler) as url:
        register.url = url
        yield register
